"""An agentless ML2 mechanism driver for the devcloud.

Neutron without agents cannot bind ports, so Nova cannot boot a server onto
a network.  This driver binds every port to the first segment offered and
marks it ACTIVE at once, which is all the fake virt driver needs.
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class DevcloudMechanismDriver(api.MechanismDriver):

    def initialize(self):
        LOG.info("devcloud ML2 mechanism driver initialized")

    @property
    def connectivity(self):
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        vnic_type = context.current.get(portbindings.VNIC_TYPE,
                                        portbindings.VNIC_NORMAL)
        if vnic_type not in (portbindings.VNIC_NORMAL,
                             portbindings.VNIC_BAREMETAL):
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
