"""An agentless ML2 mechanism driver for the devcloud, and the service
drivers that go with it.

Neutron without agents cannot bind ports, so Nova cannot boot a server onto
a network.  This driver binds every port to the first segment offered and
marks it ACTIVE at once, which is all the fake virt driver needs.

The QoS, trunk and logging service plugins refuse (or do nothing useful)
without a driver that declares what the mechanism driver supports, and
in-tree drivers only register for the openvswitch/ovn mechanism drivers.
`DevcloudMechanismDriver.initialize()` creates one driver of each kind;
they register with their plugin when it publishes AFTER_INIT (service
plugins load after the core plugin):

* QoS: every rule type (bandwidth_limit, dscp_marking, minimum_bandwidth,
  minimum_packet_rate, packet_rate_limit) with Open vSwitch's parameters;
  no RPC notifications (there is no agent to notify).
* trunk: agentless, VLAN subports, trunks of bound ports allowed.  A trunk
  goes ACTIVE when created or changed; its subports get the parent's
  binding host and device_owner trunk:subport (what the OVS agent's RPC
  would do), and lose them when removed.
* logging: security-group logs, accepted and stored (nothing logs packets).
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib.callbacks import events
from neutron_lib.callbacks import registry
from neutron_lib.callbacks import resources
from neutron_lib import constants
from neutron_lib import context as n_context
from neutron_lib.db import constants as db_consts
from neutron_lib.plugins import directory
from neutron_lib.plugins.ml2 import api
from neutron_lib.services.logapi import constants as log_const
from neutron_lib.services.qos import base as qos_base
from neutron_lib.services.qos import constants as qos_consts
from neutron_lib.services.trunk import constants as trunk_consts
from oslo_config import cfg
from oslo_log import log as logging

from neutron.objects import trunk as trunk_objects
# validation of security-group logs, as the openvswitch log driver does
from neutron.services.logapi.common import sg_validate  # noqa: F401
from neutron.services.logapi.drivers import base as log_base
from neutron.services.trunk.drivers import base as trunk_base

LOG = logging.getLogger(__name__)

NAME = "devcloud"
VIF_TYPES = [portbindings.VIF_TYPE_OVS]
VNIC_TYPES = [portbindings.VNIC_NORMAL, portbindings.VNIC_BAREMETAL]

_DRIVERS = {}


class DevcloudMechanismDriver(api.MechanismDriver):

    def initialize(self):
        if not _DRIVERS:
            _DRIVERS["qos"] = DevcloudQosDriver.create()
            _DRIVERS["trunk"] = DevcloudTrunkDriver.create()
            _DRIVERS["log"] = DevcloudLogDriver.create()
        LOG.info("devcloud ML2 mechanism driver initialized")

    @property
    def connectivity(self):
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        vnic_type = context.current.get(portbindings.VNIC_TYPE,
                                        portbindings.VNIC_NORMAL)
        if vnic_type not in VNIC_TYPES:
            return
        for segment in context.segments_to_bind:
            context.set_binding(
                segment[api.ID],
                portbindings.VIF_TYPE_OVS,
                {portbindings.CAP_PORT_FILTER: True,
                 portbindings.OVS_HYBRID_PLUG: False,
                 portbindings.VIF_DETAILS_CONNECTIVITY: self.connectivity},
                status=constants.PORT_STATUS_ACTIVE)
            LOG.debug("bound port %s to segment %s",
                      context.current["id"], segment[api.ID])
            return


# -------------------------------------------------------------------- QoS

_RANGE = {"type:range": [0, db_consts.DB_INTEGER_MAX_VALUE]}
_DIRECTION = {"type:values": constants.VALID_DIRECTIONS}
QOS_RULES = {  # as neutron/services/qos/drivers/openvswitch/driver.py
    qos_consts.RULE_TYPE_BANDWIDTH_LIMIT: {
        qos_consts.MAX_KBPS: _RANGE, qos_consts.MAX_BURST: _RANGE,
        qos_consts.DIRECTION: _DIRECTION},
    qos_consts.RULE_TYPE_PACKET_RATE_LIMIT: {
        qos_consts.MAX_KPPS: _RANGE, qos_consts.MAX_BURST_KPPS: _RANGE,
        qos_consts.DIRECTION: _DIRECTION},
    qos_consts.RULE_TYPE_DSCP_MARKING: {
        qos_consts.DSCP_MARK: {"type:values": constants.VALID_DSCP_MARKS}},
    qos_consts.RULE_TYPE_MINIMUM_BANDWIDTH: {
        qos_consts.MIN_KBPS: _RANGE, qos_consts.DIRECTION: _DIRECTION},
    qos_consts.RULE_TYPE_MINIMUM_PACKET_RATE: {
        qos_consts.MIN_KPPS: _RANGE,
        qos_consts.DIRECTION: {
            "type:values": constants.VALID_DIRECTIONS_AND_ANY}},
}


class DevcloudQosDriver(qos_base.DriverBase):

    @staticmethod
    def create():
        return DevcloudQosDriver(
            name=NAME, vif_types=VIF_TYPES,
            vnic_types=VNIC_TYPES + [portbindings.VNIC_DIRECT],
            supported_rules=QOS_RULES, requires_rpc_notifications=False)


# ------------------------------------------------------------------ trunk

class DevcloudTrunkDriver(trunk_base.DriverBase):

    @classmethod
    def create(cls):
        return cls(NAME, tuple(VIF_TYPES),
                   (trunk_consts.SEGMENTATION_TYPE_VLAN,),
                   agent_type=None, can_trunk_bound_port=True)

    @property
    def is_loaded(self):
        try:
            return NAME in cfg.CONF.ml2.mechanism_drivers
        except cfg.NoSuchOptError:
            return False

    @registry.receives(resources.TRUNK_PLUGIN, [events.AFTER_INIT])
    def register(self, resource, event, trigger, payload=None):
        trigger.register_driver(self)
        registry.subscribe(self._trunk_created, resources.TRUNK,
                           events.AFTER_CREATE)
        registry.subscribe(self._trunk_deleted, resources.TRUNK,
                           events.AFTER_DELETE)
        registry.subscribe(self._subports_added, resources.SUBPORTS,
                           events.AFTER_CREATE)
        registry.subscribe(self._subports_removed, resources.SUBPORTS,
                           events.AFTER_DELETE)
        registry.subscribe(self._port_updated, resources.PORT,
                           events.AFTER_UPDATE)

    @staticmethod
    def _bind_subports(parent_port_id, port_ids, unbind=False):
        if not port_ids:
            return
        ctx = n_context.get_admin_context()
        core = directory.get_plugin()
        host, owner = "", ""
        if not unbind:
            host = core.get_port(ctx, parent_port_id).get(
                portbindings.HOST_ID) or ""
            owner = trunk_consts.TRUNK_SUBPORT_OWNER
        for port_id in port_ids:
            try:
                core.update_port(ctx, port_id, {"port": {
                    portbindings.HOST_ID: host, "device_owner": owner}})
            except Exception as e:  # a port deleted meanwhile: log, go on
                LOG.warning("trunk subport %s: %s", port_id, e)

    @staticmethod
    def _set_active(trunk_id):
        ctx = n_context.get_admin_context()
        trunk = trunk_objects.Trunk.get_object(ctx, id=trunk_id)
        if trunk and trunk.status != trunk_consts.TRUNK_ACTIVE_STATUS:
            trunk.update(status=trunk_consts.TRUNK_ACTIVE_STATUS)

    def _trunk_created(self, resource, event, trigger, payload):
        trunk = payload.states[-1]
        self._bind_subports(trunk.port_id,
                            [s.port_id for s in trunk.sub_ports])
        self._set_active(trunk.id)

    def _trunk_deleted(self, resource, event, trigger, payload):
        trunk = payload.states[0]
        self._bind_subports(trunk.port_id,
                            [s.port_id for s in trunk.sub_ports], unbind=True)

    def _subports_added(self, resource, event, trigger, payload):
        trunk = payload.states[-1]
        self._bind_subports(trunk.port_id, [
            s.port_id for s in payload.metadata.get("subports", [])])
        self._set_active(trunk.id)

    def _subports_removed(self, resource, event, trigger, payload):
        trunk = payload.states[-1]
        self._bind_subports(trunk.port_id, [
            s.port_id for s in payload.metadata.get("subports", [])],
            unbind=True)
        self._set_active(trunk.id)

    def _port_updated(self, resource, event, trigger, payload):
        # A trunk's parent bound to (or moved to) a host: its subports follow.
        new = payload.latest_state
        details = new.get("trunk_details") if new else None
        if not details:
            return
        old = payload.states[0]
        if old.get(portbindings.HOST_ID) == new.get(portbindings.HOST_ID):
            return
        self._bind_subports(new["id"], [
            s["port_id"] for s in details.get("sub_ports", [])])
        self._set_active(details["trunk_id"])


# ---------------------------------------------------------------- logging

class DevcloudLogDriver(log_base.DriverBase):

    @classmethod
    def create(cls):
        return cls(name=NAME, vif_types=VIF_TYPES, vnic_types=VNIC_TYPES,
                   supported_logging_types=(log_const.SECURITY_GROUP,),
                   requires_rpc=False)
