//! osc-identity: the identity v3 commands of osc (python-openstackclient's
//! `openstackclient/identity/v3`). `token issue|revoke` and `catalog list|show` live in
//! osc-core.

mod app_cred;
mod common;
mod credential;
mod domain;
mod ec2;
mod endpoint;
mod endpoint_group;
mod federation;
mod group;
mod limit;
mod oauth;
mod project;
mod region;
mod role;
mod service;
mod trust;
mod user;

use osc_core::resource::list_cmd;
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
        .add::<group::CheckUserInGroup>(
            "group contains user",
            Plain,
            "Check user membership in group",
        )
        .add::<role::CreateRole>("role create", Show, "Create new role")
        .add::<role::DeleteRole>("role delete", Plain, "Delete role(s)")
        .add::<role::ListRole>("role list", List, "List roles")
        .add::<role::SetRole>("role set", Plain, "Set role properties")
        .add::<role::ShowRole>("role show", Show, "Display role details")
        .add::<role::AddRole>(
            "role add",
            Plain,
            "Adds a role assignment to a user or group on the system, a domain, or a project",
        )
        .add::<role::RemoveRole>(
            "role remove",
            Plain,
            "Removes a role assignment from system/domain/project : user/group",
        )
        .add::<role::ListRoleAssignment>("role assignment list", List, "List role assignments")
        .add::<role::CreateImpliedRole>(
            "implied role create",
            Show,
            "Creates an association between prior and implied roles",
        )
        .add::<role::DeleteImpliedRole>(
            "implied role delete",
            Plain,
            "Deletes an association between prior and implied roles",
        )
        .add::<role::ListImpliedRole>("implied role list", List, "List implied roles")
        .add::<service::CreateService>("service create", Show, "Create new service")
        .add::<service::DeleteService>("service delete", Plain, "Delete service(s)")
        .add_impl(
            "service list",
            List,
            "List services",
            list_cmd(&service::LIST).1,
        )
        .add::<service::SetService>("service set", Plain, "Set service properties")
        .add::<service::ShowService>("service show", Show, "Display service details")
        .add::<endpoint::CreateEndpoint>("endpoint create", Show, "Create new endpoint")
        .add::<endpoint::DeleteEndpoint>("endpoint delete", Plain, "Delete endpoint(s)")
        .add::<endpoint::ListEndpoint>("endpoint list", List, "List endpoints")
        .add::<endpoint::SetEndpoint>("endpoint set", Plain, "Set endpoint properties")
        .add::<endpoint::ShowEndpoint>("endpoint show", Show, "Display endpoint details")
        .add::<endpoint::AddProjectToEndpoint>(
            "endpoint add project",
            Plain,
            "Associate a project to an endpoint",
        )
        .add::<endpoint::RemoveProjectFromEndpoint>(
            "endpoint remove project",
            Plain,
            "Dissociate a project from an endpoint",
        )
        .add::<endpoint_group::CreateEndpointGroup>(
            "endpoint group create",
            Show,
            "Create new endpoint group",
        )
        .add::<endpoint_group::DeleteEndpointGroup>(
            "endpoint group delete",
            Plain,
            "Delete endpoint group(s)",
        )
        .add::<endpoint_group::ListEndpointGroup>(
            "endpoint group list",
            List,
            "List endpoint groups",
        )
        .add::<endpoint_group::SetEndpointGroup>(
            "endpoint group set",
            Plain,
            "Set endpoint group properties",
        )
        .add::<endpoint_group::ShowEndpointGroup>(
            "endpoint group show",
            Show,
            "Display endpoint group details",
        )
        .add::<endpoint_group::AddProjectToEndpointGroup>(
            "endpoint group add project",
            Plain,
            "Add a project to an endpoint group",
        )
        .add::<endpoint_group::RemoveProjectFromEndpointGroup>(
            "endpoint group remove project",
            Plain,
            "Remove project from endpoint group",
        )
        .add::<region::CreateRegion>("region create", Show, "Create new region")
        .add::<region::DeleteRegion>("region delete", Plain, "Delete region(s)")
        .add_impl(
            "region list",
            List,
            "List regions",
            list_cmd(&region::LIST).1,
        )
        .add::<region::SetRegion>("region set", Plain, "Set region properties")
        .add::<region::ShowRegion>("region show", Show, "Display region details")
        .add::<credential::CreateCredential>("credential create", Show, "Create new credential")
        .add::<credential::DeleteCredential>("credential delete", Plain, "Delete credential(s)")
        .add::<credential::ListCredential>("credential list", List, "List credentials")
        .add::<credential::SetCredential>("credential set", Plain, "Set credential properties")
        .add::<credential::ShowCredential>("credential show", Show, "Display credential details")
        .add::<credential::CreatePolicy>("policy create", Show, "Create new policy")
        .add::<credential::DeletePolicy>("policy delete", Plain, "Delete policy(s)")
        .add_impl(
            "policy list",
            List,
            "List policies",
            list_cmd(&credential::POLICY_LIST).1,
        )
        .add::<credential::SetPolicy>("policy set", Plain, "Set policy properties")
        .add::<credential::ShowPolicy>("policy show", Show, "Display policy details")
        .add::<app_cred::CreateApplicationCredential>(
            "application credential create",
            Show,
            "Create new application credential",
        )
        .add::<app_cred::DeleteApplicationCredential>(
            "application credential delete",
            Plain,
            "Delete application credentials(s)",
        )
        .add::<app_cred::ListApplicationCredential>(
            "application credential list",
            List,
            "List application credentials",
        )
        .add::<app_cred::ShowApplicationCredential>(
            "application credential show",
            Show,
            "Display application credential details",
        )
        .add::<app_cred::DeleteAccessRule>("access rule delete", Plain, "Delete access rule(s)")
        .add::<app_cred::ListAccessRule>("access rule list", List, "List access rules")
        .add::<app_cred::ShowAccessRule>("access rule show", Show, "Display access rule details")
        .add::<trust::CreateTrust>("trust create", Show, "Create new trust")
        .add::<trust::DeleteTrust>("trust delete", Plain, "Delete trust(s)")
        .add::<trust::ListTrust>("trust list", List, "List trusts")
        .add::<trust::ShowTrust>("trust show", Show, "Display trust details")
        .add::<limit::CreateLimit>("limit create", Show, "Create a limit")
        .add::<limit::DeleteLimit>("limit delete", Plain, "Delete a limit")
        .add::<limit::ListLimit>("limit list", List, "List limits")
        .add::<limit::SetLimit>("limit set", Show, "Update information about a limit")
        .add::<limit::ShowLimit>("limit show", Show, "Display limit details")
        .add::<limit::CreateRegisteredLimit>(
            "registered limit create",
            Show,
            "Create a registered limit",
        )
        .add::<limit::DeleteRegisteredLimit>(
            "registered limit delete",
            Plain,
            "Delete a registered limit",
        )
        .add::<limit::ListRegisteredLimit>("registered limit list", List, "List registered limits")
        .add::<limit::SetRegisteredLimit>(
            "registered limit set",
            Show,
            "Update information about a registered limit",
        )
        .add::<limit::ShowRegisteredLimit>(
            "registered limit show",
            Show,
            "Display registered limit details",
        )
        .add::<federation::CreateIdentityProvider>(
            "identity provider create",
            Show,
            "Create new identity provider",
        )
        .add::<federation::DeleteIdentityProvider>(
            "identity provider delete",
            Plain,
            "Delete identity provider(s)",
        )
        .add::<federation::ListIdentityProvider>(
            "identity provider list",
            List,
            "List identity providers",
        )
        .add::<federation::SetIdentityProvider>(
            "identity provider set",
            Plain,
            "Set identity provider properties",
        )
        .add::<federation::ShowIdentityProvider>(
            "identity provider show",
            Show,
            "Display identity provider details",
        )
        .add::<federation::CreateMapping>("mapping create", Show, "Create new mapping")
        .add::<federation::DeleteMapping>("mapping delete", Plain, "Delete mapping(s)")
        .add_impl(
            "mapping list",
            List,
            "List mappings",
            list_cmd(&federation::MAPPING_LIST).1,
        )
        .add::<federation::SetMapping>("mapping set", Plain, "Set mapping properties")
        .add::<federation::ShowMapping>("mapping show", Show, "Display mapping details")
        .add::<federation::CreateProtocol>(
            "federation protocol create",
            Show,
            "Create new federation protocol",
        )
        .add::<federation::DeleteProtocol>(
            "federation protocol delete",
            Plain,
            "Delete federation protocol(s)",
        )
        .add::<federation::ListProtocols>(
            "federation protocol list",
            List,
            "List federation protocols",
        )
        .add::<federation::SetProtocol>(
            "federation protocol set",
            Plain,
            "Set federation protocol properties",
        )
        .add::<federation::ShowProtocol>(
            "federation protocol show",
            Show,
            "Display federation protocol details",
        )
        .add::<federation::CreateServiceProvider>(
            "service provider create",
            Show,
            "Create new service provider",
        )
        .add::<federation::DeleteServiceProvider>(
            "service provider delete",
            Plain,
            "Delete service provider(s)",
        )
        .add_impl(
            "service provider list",
            List,
            "List service providers",
            list_cmd(&federation::SP_LIST).1,
        )
        .add::<federation::SetServiceProvider>(
            "service provider set",
            Show,
            "Set service provider properties",
        )
        .add::<federation::ShowServiceProvider>(
            "service provider show",
            Show,
            "Display service provider details",
        )
        .add::<federation::ListAccessibleDomains>(
            "federation domain list",
            List,
            "List accessible domains",
        )
        .add::<federation::ListAccessibleProjects>(
            "federation project list",
            List,
            "List accessible projects",
        )
        .add::<oauth::CreateConsumer>("consumer create", Show, "Create new consumer")
        .add::<oauth::DeleteConsumer>("consumer delete", Plain, "Delete consumer(s)")
        .add_impl(
            "consumer list",
            List,
            "List consumers",
            list_cmd(&oauth::CONSUMER_LIST).1,
        )
        .add::<oauth::SetConsumer>("consumer set", Plain, "Set consumer properties")
        .add::<oauth::ShowConsumer>("consumer show", Show, "Display consumer details")
        .add::<oauth::CreateRequestToken>("request token create", Show, "Create a request token")
        .add::<oauth::AuthorizeRequestToken>(
            "request token authorize",
            Show,
            "Authorize a request token",
        )
        .add::<oauth::CreateAccessToken>("access token create", Show, "Create an access token")
        .add::<ec2::CreateEC2Creds>("ec2 credentials create", Show, "Create EC2 credentials")
        .add::<ec2::DeleteEC2Creds>("ec2 credentials delete", Plain, "Delete EC2 credentials")
        .add::<ec2::ListEC2Creds>("ec2 credentials list", List, "List EC2 credentials")
        .add::<ec2::ShowEC2Creds>(
            "ec2 credentials show",
            Show,
            "Display EC2 credentials details",
        );
}
