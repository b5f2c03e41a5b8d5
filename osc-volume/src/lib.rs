//! osc-volume: the block-storage (Cinder) commands of osc, as python-openstackclient 10.5
//! has them. Each module is one resource; `common` holds the SDK-style plumbing.

pub mod attachment;
pub mod backend;
pub mod backup;
pub mod cleanup;
pub mod cluster;
pub mod common;
pub mod consistency_group;
pub mod consistency_group_snapshot;
pub mod format;
pub mod group;
pub mod group_snapshot;
pub mod group_type;
pub mod manageable;
pub mod message;
pub mod qos;
pub mod resource_filter;
pub mod service;
pub mod snapshot;
pub mod transfer;
pub mod volume;
pub mod volume_type;

use osc_core::Kind::{List, Plain, Show};

/// Registers this crate's commands.
pub fn register(reg: &mut osc_core::Registry) {
    let mut m = reg.module("osc-volume", "volume", 2);
    m.add::<volume::CreateVolume>("volume create", Show, "Create new volume")
        .add::<volume::DeleteVolume>("volume delete", Plain, "Delete volume(s)")
        .add::<volume::ListVolume>("volume list", List, "List volumes")
        .add::<volume::MigrateVolume>("volume migrate", Plain, "Migrate volume to a new host")
        .add::<volume::SetVolume>("volume set", Plain, "Set volume properties")
        .add::<volume::ShowVolume>("volume show", Show, "Display volume details")
        .add::<volume::UnsetVolume>("volume unset", Plain, "Unset volume properties")
        .add::<volume::VolumeSummary>(
            "volume summary",
            Show,
            "Show a summary of all volumes in this deployment.",
        )
        .add::<volume::VolumeRevertToSnapshot>(
            "volume revert",
            Plain,
            "Revert a volume to a snapshot.",
        );
    m.add::<snapshot::CreateVolumeSnapshot>(
        "volume snapshot create",
        Show,
        "Create new volume snapshot",
    )
    .add::<snapshot::DeleteVolumeSnapshot>(
        "volume snapshot delete",
        Plain,
        "Delete volume snapshot(s)",
    )
    .add::<snapshot::ListVolumeSnapshot>("volume snapshot list", List, "List volume snapshots")
    .add::<snapshot::SetVolumeSnapshot>(
        "volume snapshot set",
        Plain,
        "Set volume snapshot properties",
    )
    .add::<snapshot::ShowVolumeSnapshot>(
        "volume snapshot show",
        Show,
        "Display volume snapshot details",
    )
    .add::<snapshot::UnsetVolumeSnapshot>(
        "volume snapshot unset",
        Plain,
        "Unset volume snapshot properties",
    );
    m.add::<backup::CreateVolumeBackup>("volume backup create", Show, "Create new volume backup")
        .add::<backup::DeleteVolumeBackup>("volume backup delete", Plain, "Delete volume backup(s)")
        .add::<backup::ListVolumeBackup>("volume backup list", List, "List volume backups")
        .add::<backup::RestoreVolumeBackup>("volume backup restore", Show, "Restore volume backup")
        .add::<backup::SetVolumeBackup>("volume backup set", Plain, "Set volume backup properties")
        .add::<backup::ShowVolumeBackup>(
            "volume backup show",
            Show,
            "Display volume backup details",
        )
        .add::<backup::UnsetVolumeBackup>(
            "volume backup unset",
            Plain,
            "Unset volume backup properties.",
        )
        .add::<backup::ExportBackupRecord>(
            "volume backup record export",
            Show,
            "Export volume backup details.",
        )
        .add::<backup::ImportBackupRecord>(
            "volume backup record import",
            Show,
            "Import volume backup details.",
        );
    m.add::<volume_type::CreateVolumeType>("volume type create", Show, "Create new volume type")
        .add::<volume_type::DeleteVolumeType>("volume type delete", Plain, "Delete volume type(s)")
        .add::<volume_type::ListVolumeType>("volume type list", List, "List volume types")
        .add::<volume_type::SetVolumeType>("volume type set", Plain, "Set volume type properties")
        .add::<volume_type::ShowVolumeType>("volume type show", Show, "Display volume type details")
        .add::<volume_type::UnsetVolumeType>(
            "volume type unset",
            Plain,
            "Unset volume type properties",
        );
    m.add::<transfer::AcceptTransferRequest>(
        "volume transfer request accept",
        Show,
        "Accept volume transfer request.",
    )
    .add::<transfer::CreateTransferRequest>(
        "volume transfer request create",
        Show,
        "Create volume transfer request.",
    )
    .add::<transfer::DeleteTransferRequest>(
        "volume transfer request delete",
        Plain,
        "Delete volume transfer request(s).",
    )
    .add::<transfer::ListTransferRequest>(
        "volume transfer request list",
        List,
        "Lists all volume transfer requests.",
    )
    .add::<transfer::ShowTransferRequest>(
        "volume transfer request show",
        Show,
        "Show volume transfer request details.",
    );
    m.add::<attachment::CompleteVolumeAttachment>(
        "volume attachment complete",
        Plain,
        "Complete an attachment for a volume.",
    )
    .add::<attachment::CreateVolumeAttachment>(
        "volume attachment create",
        Show,
        "Create an attachment for a volume.",
    )
    .add::<attachment::DeleteVolumeAttachment>(
        "volume attachment delete",
        Plain,
        "Delete an attachment for a volume.",
    )
    .add::<attachment::ListVolumeAttachment>(
        "volume attachment list",
        List,
        "Lists all volume attachments.",
    )
    .add::<attachment::SetVolumeAttachment>(
        "volume attachment set",
        Show,
        "Update an attachment for a volume.",
    )
    .add::<attachment::ShowVolumeAttachment>(
        "volume attachment show",
        Show,
        "Show detailed information for a volume attachment.",
    );
    m.add::<qos::AssociateQos>(
        "volume qos associate",
        Plain,
        "Associate a QoS specification to a volume type",
    )
    .add::<qos::CreateQos>("volume qos create", Show, "Create new QoS specification")
    .add::<qos::DeleteQos>("volume qos delete", Plain, "Delete QoS specification")
    .add::<qos::DisassociateQos>(
        "volume qos disassociate",
        Plain,
        "Disassociate a QoS specification from a volume type",
    )
    .add::<qos::ListQos>("volume qos list", List, "List QoS specifications")
    .add::<qos::SetQos>("volume qos set", Plain, "Set QoS specification properties")
    .add::<qos::ShowQos>("volume qos show", Show, "Display QoS specification details")
    .add::<qos::UnsetQos>(
        "volume qos unset",
        Plain,
        "Unset QoS specification properties",
    );
    m.add::<group::CreateVolumeGroup>("volume group create", Show, "Create a volume group.")
        .add::<group::DeleteVolumeGroup>("volume group delete", Plain, "Delete a volume group.")
        .add::<group::SetVolumeGroup>("volume group set", Show, "Update a volume group.")
        .add::<group::ListVolumeGroup>("volume group list", List, "Lists all volume groups.")
        .add::<group::ShowVolumeGroup>(
            "volume group show",
            Show,
            "Show detailed information for a volume group.",
        )
        .add::<group::FailoverVolumeGroup>(
            "volume group failover",
            Plain,
            "Failover replication for a volume group.",
        )
        .add::<group::AddVolumesToGroup>(
            "volume group add volume",
            Plain,
            "Add volume(s) to volume group.",
        )
        .add::<group::RemoveVolumesFromGroup>(
            "volume group remove volume",
            Plain,
            "Remove volume(s) from volume group.",
        );
    m.add::<group_type::CreateVolumeGroupType>(
        "volume group type create",
        Show,
        "Create a volume group type.",
    )
    .add::<group_type::DeleteVolumeGroupType>(
        "volume group type delete",
        Plain,
        "Delete a volume group type.",
    )
    .add::<group_type::SetVolumeGroupType>(
        "volume group type set",
        Show,
        "Update a volume group type.",
    )
    .add::<group_type::UnsetVolumeGroupType>(
        "volume group type unset",
        Show,
        "Unset properties of a volume group type.",
    )
    .add::<group_type::ListVolumeGroupType>(
        "volume group type list",
        List,
        "Lists all volume group types.",
    )
    .add::<group_type::ShowVolumeGroupType>(
        "volume group type show",
        Show,
        "Show detailed information for a volume group type.",
    );
    m.add::<group_snapshot::CreateVolumeGroupSnapshot>(
        "volume group snapshot create",
        Show,
        "Create a volume group snapshot.",
    )
    .add::<group_snapshot::DeleteVolumeGroupSnapshot>(
        "volume group snapshot delete",
        Plain,
        "Delete a volume group snapshot.",
    )
    .add::<group_snapshot::ListVolumeGroupSnapshot>(
        "volume group snapshot list",
        List,
        "Lists all volume group snapshot.",
    )
    .add::<group_snapshot::ShowVolumeGroupSnapshot>(
        "volume group snapshot show",
        Show,
        "Show detailed information for a volume group snapshot.",
    );
    m.add::<consistency_group::AddVolumeToConsistencyGroup>(
        "consistency group add volume",
        Plain,
        "Add volume(s) to consistency group",
    )
    .add::<consistency_group::CreateConsistencyGroup>(
        "consistency group create",
        Show,
        "Create new consistency group.",
    )
    .add::<consistency_group::DeleteConsistencyGroup>(
        "consistency group delete",
        Plain,
        "Delete consistency group(s).",
    )
    .add::<consistency_group::ListConsistencyGroup>(
        "consistency group list",
        List,
        "List consistency groups.",
    )
    .add::<consistency_group::RemoveVolumeFromConsistencyGroup>(
        "consistency group remove volume",
        Plain,
        "Remove volume(s) from consistency group",
    )
    .add::<consistency_group::SetConsistencyGroup>(
        "consistency group set",
        Plain,
        "Set consistency group properties",
    )
    .add::<consistency_group::ShowConsistencyGroup>(
        "consistency group show",
        Show,
        "Display consistency group details.",
    );
    m.add::<consistency_group_snapshot::CreateConsistencyGroupSnapshot>(
        "consistency group snapshot create",
        Show,
        "Create new consistency group snapshot.",
    )
    .add::<consistency_group_snapshot::DeleteConsistencyGroupSnapshot>(
        "consistency group snapshot delete",
        Plain,
        "Delete consistency group snapshot(s).",
    )
    .add::<consistency_group_snapshot::ListConsistencyGroupSnapshot>(
        "consistency group snapshot list",
        List,
        "List consistency group snapshots.",
    )
    .add::<consistency_group_snapshot::ShowConsistencyGroupSnapshot>(
        "consistency group snapshot show",
        Show,
        "Display consistency group snapshot details",
    );
    m.add::<service::ListService>("volume service list", List, "List service command")
        .add::<service::SetService>("volume service set", Plain, "Set volume service properties")
        .add::<service::FailoverVolumeHost>(
            "volume host failover",
            Plain,
            "Failover volume host to different backend",
        )
        .add::<service::SetVolumeHost>("volume host set", Plain, "Set volume host properties")
        .add::<service::BlockStorageLogLevelList>(
            "block storage log level list",
            List,
            "List log levels of block storage service.",
        )
        .add::<service::BlockStorageLogLevelSet>(
            "block storage log level set",
            Plain,
            "Set log level of block storage service",
        );
    m.add::<message::DeleteMessage>(
        "volume message delete",
        Plain,
        "Delete a volume failure message",
    )
    .add::<message::ListMessages>("volume message list", List, "List volume failure messages")
    .add::<message::ShowMessage>("volume message show", Show, "Show a volume failure message");
    m.add::<backend::ShowCapability>(
        "volume backend capability show",
        List,
        "Show capability command",
    )
    .add::<backend::ListPool>("volume backend pool list", List, "List pool command");
    m.add::<cluster::ListBlockStorageCluster>(
        "block storage cluster list",
        List,
        "List block storage clusters.",
    )
    .add::<cluster::SetBlockStorageCluster>(
        "block storage cluster set",
        Plain,
        "Set block storage cluster properties.",
    )
    .add::<cluster::ShowBlockStorageCluster>(
        "block storage cluster show",
        Show,
        "Show detailed information for a block storage cluster.",
    )
    .add::<cleanup::BlockStorageCleanup>("block storage cleanup", List, "Do block storage cleanup.")
    .add::<resource_filter::ListBlockStorageResourceFilter>(
        "block storage resource filter list",
        List,
        "List block storage resource filters",
    )
    .add::<resource_filter::ShowBlockStorageResourceFilter>(
        "block storage resource filter show",
        Show,
        "Show filters for a block storage resource type",
    )
    .add::<manageable::BlockStorageManageVolumes>(
        "block storage volume manageable list",
        List,
        "List manageable volumes.",
    )
    .add::<manageable::BlockStorageManageSnapshots>(
        "block storage snapshot manageable list",
        List,
        "List manageable snapshots.",
    );
}
