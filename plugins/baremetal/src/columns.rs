//! python-ironicclient 6.3's column sets (`ironicclient.v1.resource_fields`); since 6.x its
//! listings head columns with the field names themselves.

pub const NODE_RESOURCE: &[&str] = &[
    "uuid",
    "name",
    "instance_uuid",
    "power_state",
    "provision_state",
    "maintenance",
];

pub const NODE_DETAILED_RESOURCE: &[&str] = &[
    "allocation_uuid",
    "automated_clean",
    "bios_interface",
    "boot_interface",
    "boot_mode",
    "chassis_uuid",
    "clean_step",
    "conductor",
    "conductor_group",
    "console_enabled",
    "console_interface",
    "created_at",
    "raid_config",
    "deploy_interface",
    "deploy_step",
    "description",
    "disable_power_off",
    "driver",
    "driver_info",
    "driver_internal_info",
    "extra",
    "fault",
    "firmware_interface",
    "health",
    "inspect_interface",
    "inspection_finished_at",
    "inspection_started_at",
    "instance_info",
    "instance_name",
    "instance_uuid",
    "last_error",
    "lessee",
    "maintenance",
    "maintenance_reason",
    "management_interface",
    "name",
    "network_data",
    "network_interface",
    "owner",
    "parent_node",
    "power_interface",
    "power_state",
    "properties",
    "protected",
    "protected_reason",
    "provision_updated_at",
    "provision_state",
    "raid_interface",
    "rescue_interface",
    "reservation",
    "resource_class",
    "retired",
    "retired_reason",
    "secure_boot",
    "storage_interface",
    "target_power_state",
    "target_provision_state",
    "target_raid_config",
    "traits",
    "uuid",
    "updated_at",
    "vendor_interface",
];

pub const DRIVER_RESOURCE: &[&str] = &["name", "hosts"];

pub const DRIVER_DETAILED_RESOURCE: &[&str] = &[
    "name",
    "type",
    "hosts",
    "default_bios_interface",
    "default_boot_interface",
    "default_console_interface",
    "default_deploy_interface",
    "default_firmware_interface",
    "default_inspect_interface",
    "default_management_interface",
    "default_network_interface",
    "default_power_interface",
    "default_raid_interface",
    "default_rescue_interface",
    "default_storage_interface",
    "default_vendor_interface",
    "enabled_bios_interfaces",
    "enabled_boot_interfaces",
    "enabled_console_interfaces",
    "enabled_deploy_interfaces",
    "enabled_firmware_interfaces",
    "enabled_inspect_interfaces",
    "enabled_management_interfaces",
    "enabled_network_interfaces",
    "enabled_power_interfaces",
    "enabled_raid_interfaces",
    "enabled_rescue_interfaces",
    "enabled_storage_interfaces",
    "enabled_vendor_interfaces",
];

pub const CHASSIS_RESOURCE: &[&str] = &["uuid", "description"];

pub const CHASSIS_DETAILED_RESOURCE: &[&str] =
    &["uuid", "description", "created_at", "updated_at", "extra"];

pub const PORT_RESOURCE: &[&str] = &["uuid", "address"];

pub const PORT_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "address",
    "created_at",
    "extra",
    "node_uuid",
    "category",
    "vendor",
    "local_link_connection",
    "portgroup_uuid",
    "pxe_enabled",
    "physical_network",
    "updated_at",
    "internal_info",
    "is_smartnic",
    "name",
];

pub const PORTGROUP_RESOURCE: &[&str] = &["uuid", "address", "name"];

pub const PORTGROUP_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "address",
    "created_at",
    "extra",
    "standalone_ports_supported",
    "node_uuid",
    "name",
    "updated_at",
    "internal_info",
    "mode",
    "properties",
    "physical_network",
    "category",
];

pub const VOLUME_CONNECTOR_RESOURCE: &[&str] = &["uuid", "node_uuid", "type", "connector_id"];

pub const VOLUME_CONNECTOR_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "node_uuid",
    "type",
    "connector_id",
    "extra",
    "created_at",
    "updated_at",
];

pub const VOLUME_TARGET_RESOURCE: &[&str] = &[
    "uuid",
    "node_uuid",
    "volume_type",
    "boot_index",
    "volume_id",
];

pub const VOLUME_TARGET_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "node_uuid",
    "volume_type",
    "properties",
    "boot_index",
    "extra",
    "volume_id",
    "created_at",
    "updated_at",
];

pub const DEPLOY_TEMPLATE_RESOURCE: &[&str] = &["uuid", "name"];

pub const DEPLOY_TEMPLATE_DETAILED_RESOURCE: &[&str] =
    &["uuid", "name", "steps", "extra", "created_at", "updated_at"];

pub const ALLOCATION_RESOURCE: &[&str] = &["uuid", "name", "resource_class", "state", "node_uuid"];

pub const ALLOCATION_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "name",
    "state",
    "owner",
    "node_uuid",
    "last_error",
    "resource_class",
    "traits",
    "candidate_nodes",
    "extra",
    "created_at",
    "updated_at",
];

pub const RUNBOOK_RESOURCE: &[&str] = &["uuid", "name"];

pub const RUNBOOK_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "name",
    "description",
    "traits",
    "disable_ramdisk",
    "owner",
    "public",
    "steps",
    "extra",
    "created_at",
    "updated_at",
];

pub const INSPECTION_RULE_RESOURCE: &[&str] = &["uuid", "description"];

pub const INSPECTION_RULE_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "description",
    "priority",
    "sensitive",
    "phase",
    "actions",
    "conditions",
    "created_at",
    "updated_at",
];

pub const CONDUCTOR_RESOURCE: &[&str] = &["hostname", "conductor_group", "alive"];

pub const CONDUCTOR_DETAILED_RESOURCE: &[&str] = &[
    "hostname",
    "conductor_group",
    "alive",
    "drivers",
    "created_at",
    "updated_at",
];

pub const SHARD_RESOURCE: &[&str] = &["name", "count"];

pub const BIOS_RESOURCE: &[&str] = &["name", "value"];

pub const BIOS_DETAILED_RESOURCE: &[&str] = &[
    "name",
    "value",
    "attribute_type",
    "allowable_values",
    "lower_bound",
    "min_length",
    "max_length",
    "read_only",
    "reset_required",
    "unique",
    "upper_bound",
];

pub const NODE_HISTORY_RESOURCE: &[&str] = &["uuid", "created_at", "severity", "event"];

pub const NODE_HISTORY_DETAILED_RESOURCE: &[&str] = &[
    "uuid",
    "created_at",
    "severity",
    "event_type",
    "event",
    "conductor",
    "user",
    "project",
    "state",
    "target_provision_state",
    "duration_seconds",
];

pub const FIRMWARE_RESOURCE: &[&str] = &[
    "component",
    "initial_version",
    "current_version",
    "last_version_flashed",
    "created_at",
    "updated_at",
];

/// `VENDOR_PASSTHRU_METHOD_RESOURCE`'s fields and labels.
pub const PASSTHRU_FIELDS: &[&str] = &["name", "http_methods", "async", "description", "attach"];

pub const PASSTHRU_LABELS: &[&str] = &[
    "Name",
    "Supported HTTP methods",
    "Async",
    "Description",
    "Response is attachment",
];
