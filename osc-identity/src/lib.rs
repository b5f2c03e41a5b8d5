//! osc-identity: the identity v3 commands of osc (python-openstackclient's
//! `openstackclient/identity/v3`). `token issue|revoke` and `catalog list|show` live in
//! osc-core.

mod common;
mod domain;
mod group;
mod project;
mod role;
mod user;

use osc_core::Kind::{List, Plain, Show};

/// Registers this crate's commands.
pub fn register(reg: &mut osc_core::Registry) {
    let mut m = reg.module("osc-identity", "identity", 1);
    m.add::<project::CreateProject>("project create", Show, "Create new project")
        .add::<project::DeleteProject>("project delete", Plain, "Delete project(s)")
        .add::<project::ListProject>("project list", List, "List projects")
        .add::<project::SetProject>("project set", Plain, "Set project properties")
        .add::<project::ShowProject>("project show", Show, "Display project details")
        .add::<domain::CreateDomain>("domain create", Show, "Create new domain")
        .add::<domain::DeleteDomain>("domain delete", Plain, "Delete domain(s)")
        .add::<domain::ListDomain>("domain list", List, "List domains")
        .add::<domain::SetDomain>("domain set", Plain, "Set domain properties")
        .add::<domain::ShowDomain>("domain show", Show, "Display domain details")
        .add::<user::CreateUser>("user create", Show, "Create new user")
        .add::<user::DeleteUser>("user delete", Plain, "Delete user(s)")
        .add::<user::ListUser>("user list", List, "List users")
        .add::<user::SetUser>("user set", Plain, "Set user properties")
        .add::<user::ShowUser>("user show", Show, "Display user details")
        .add::<user::SetPasswordUser>("user password set", Plain, "Change current user password")
        .add::<group::CreateGroup>("group create", Show, "Create new group")
        .add::<group::DeleteGroup>("group delete", Plain, "Delete group(s)")
        .add::<group::ListGroup>("group list", List, "List groups")
        .add::<group::SetGroup>("group set", Plain, "Set group properties")
        .add::<group::ShowGroup>("group show", Show, "Display group details")
        .add::<group::AddUserToGroup>("group add user", Plain, "Add user to group")
        .add::<group::RemoveUserFromGroup>("group remove user", Plain, "Remove user from group")
        .add::<group::CheckUserInGroup>("group contains user", Plain, "Check user membership in group")
        .add::<role::CreateRole>("role create", Show, "Create new role")
        .add::<role::DeleteRole>("role delete", Plain, "Delete role(s)")
        .add::<role::ListRole>("role list", List, "List roles")
        .add::<role::SetRole>("role set", Plain, "Set role properties")
        .add::<role::ShowRole>("role show", Show, "Display role details")
        .add::<role::AddRole>("role add", Plain, "Adds a role assignment to a user or group on the system, a domain, or a project")
        .add::<role::RemoveRole>("role remove", Plain, "Removes a role assignment from system/domain/project : user/group")
        .add::<role::ListRoleAssignment>("role assignment list", List, "List role assignments")
        .add::<role::CreateImpliedRole>("implied role create", Show, "Creates an association between prior and implied roles")
        .add::<role::DeleteImpliedRole>("implied role delete", Plain, "Deletes an association between prior and implied roles")
        .add::<role::ListImpliedRole>("implied role list", List, "List implied roles");
}
