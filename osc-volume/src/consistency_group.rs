//! `consistency group ...` commands.

use crate::common::Sdk;

pub const CONSISTENCY_GROUP: Sdk = Sdk {
    class: "ConsistencyGroup",
    path: "/consistencygroups",
    list_path: "/consistencygroups/detail",
    singular: "consistencygroup",
    plural: "consistencygroups",
    max_mv: None,
    attrs: &["availability_zone", "created_at", "description", "name", "status", "volume_types", "add_volumes", "remove_volumes", "id", "location"],
    name_filter: false,
};
