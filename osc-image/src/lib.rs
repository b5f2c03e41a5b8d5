//! osc-image: the image (Glance v2) commands of osc.

pub mod cache;
pub mod common;
pub mod image;
pub mod info;
pub mod member;
pub mod metadef_namespace;
pub mod metadef_object;
pub mod metadef_property;
pub mod metadef_resource_type;
pub mod task;
pub mod transfer;

use osc_core::Kind::{List, Plain, Show};

/// Registers this crate's commands.
pub fn register(reg: &mut osc_core::Registry) {
    let mut m = reg.module("osc-image", "image", 1);
    m.add::<image::CreateImage>("image create", Show, "Create/upload an image")
        .add::<image::DeleteImage>("image delete", Plain, "Delete image(s)")
        .add::<image::ListImage>("image list", List, "List available images")
        .add::<image::ShowImage>("image show", Show, "Display image details")
        .add::<image::SetImage>("image set", Plain, "Set image properties")
        .add::<image::UnsetImage>("image unset", Plain, "Unset image tags and properties")
        .add::<image::SaveImage>("image save", Plain, "Save an image locally")
        .add::<image::StageImage>(
            "image stage",
            Plain,
            "Upload data for a specific image to staging.\nThis requires support for the interoperable image import process, which was first introduced in Image API version 2.6 (Glance 16.0.0 (Queens))",
        )
        .add::<image::ImportImage>(
            "image import",
            Show,
            "Initiate the image import process.\nThis requires support for the interoperable image import process, which was first introduced in Image API version 2.6 (Glance 16.0.0 (Queens))",
        )
        .add::<info::ImportInfo>("image import info", Show, "Show available import methods")
        .add::<info::StoresInfo>("image stores list", List, "Get available backends (only valid with Multi-Backend support)")
        .add::<member::AddProjectToImage>("image add project", Show, "Associate project with image")
        .add::<member::RemoveProjectImage>("image remove project", Plain, "Disassociate project with image")
        .add::<member::ListImageProjects>("image member list", List, "List projects associated with image")
        .add::<member::ShowProjectImage>("image member get", Show, "Show a particular project associated with image")
        .add::<task::ListTask>("image task list", List, "List tasks")
        .add::<task::ShowTask>("image task show", Show, "Display task details")
        .add::<cache::ListCachedImage>("cached image list", List, "Get Cache State")
        .add::<cache::QueueCachedImage>("cached image queue", Plain, "Queue image(s) for caching.")
        .add::<cache::DeleteCachedImage>("cached image delete", Plain, "Delete image(s) from cache")
        .add::<cache::ClearCachedImage>("cached image clear", Plain, "Clear all images from cache, queue or both")
        .add::<metadef_namespace::CreateMetadefNamespace>("image metadef namespace create", Show, "Create a metadef namespace")
        .add::<metadef_namespace::DeleteMetadefNamespace>("image metadef namespace delete", Plain, "Delete metadef namespace")
        .add::<metadef_namespace::ListMetadefNamespace>("image metadef namespace list", List, "List metadef namespaces")
        .add::<metadef_namespace::SetMetadefNamespace>("image metadef namespace set", Plain, "Set metadef namespace properties")
        .add::<metadef_namespace::ShowMetadefNamespace>("image metadef namespace show", Show, "Show a metadef namespace")
        .add::<metadef_namespace::UnsetMetadefNamespace>("image metadef namespace unset", Plain, "Unset metadef namespace tags")
        .add::<metadef_object::CreateMetadefObjects>("image metadef object create", Show, "Create a metadef object")
        .add::<metadef_object::DeleteMetadefObject>("image metadef object delete", Plain, "Delete metadata definitions object(s)")
        .add::<metadef_object::ListMetadefObjects>("image metadef object list", List, "List metadef objects inside a specific namespace.")
        .add::<metadef_object::ShowMetadefObjects>("image metadef object show", Show, "Show a particular metadef object")
        .add::<metadef_object::SetMetadefObject>("image metadef object update", Plain, "Update a metadef object")
        .add::<metadef_object::ShowMetadefObjectProperty>(
            "image metadef object property show",
            Show,
            "Describe a specific metadata definitions property inside an object.",
        )
        .add::<metadef_property::CreateMetadefProperty>("image metadef property create", Show, "Create a metadef property")
        .add::<metadef_property::DeleteMetadefProperty>("image metadef property delete", Plain, "Delete metadef propert(ies)")
        .add::<metadef_property::ListMetadefProperties>("image metadef property list", List, "List metadef properties")
        .add::<metadef_property::SetMetadefProperty>("image metadef property set", Plain, "Update metadef namespace property")
        .add::<metadef_property::ShowMetadefProperty>("image metadef property show", Show, "Show a particular metadef property")
        .add::<metadef_resource_type::ListMetadefResourceTypes>("image metadef resource type list", List, "List metadef resource types")
        .add::<metadef_resource_type::CreateMetadefResourceTypeAssociation>(
            "image metadef resource type association create",
            Show,
            "Create metadef resource type association",
        )
        .add::<metadef_resource_type::DeleteMetadefResourceTypeAssociation>(
            "image metadef resource type association delete",
            Plain,
            "Delete metadef resource type association",
        )
        .add::<metadef_resource_type::ListMetadefResourceTypeAssociations>(
            "image metadef resource type association list",
            List,
            "List metadef resource type associations",
        );
}
