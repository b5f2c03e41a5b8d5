"""Nova's single-node fake driver with a hypervisor that outlives nova-compute.

``fake.FakeDriverWithoutFakeNodes`` keeps its guests in memory only: after a
restart of nova-compute (``devcloud/down nova-compute``, an upgrade) it knows
none of them, and the power-state sync that runs at start stops every server
("Instance shutdown by itself").  A real hypervisor keeps its guests running
while nova-compute restarts, so the driver's init_host takes the host's
instances back from Nova's database (through the conductor), in the power
state Nova last recorded.  Installed by ``osc_devcloud.nova_compute`` (Nova
loads compute drivers from ``nova.virt`` only, so this patches the class).
"""
from nova.compute import power_state
from nova import context as nova_context
from nova import objects
from nova.virt import fake

KEPT = (power_state.RUNNING, power_state.PAUSED, power_state.SHUTDOWN,
        power_state.SUSPENDED)

_init_host = fake.FakeDriverWithoutFakeNodes.init_host


def init_host(self, host):
    _init_host(self, host)
    ctx = nova_context.get_admin_context()
    for inst in objects.InstanceList.get_by_host(
            ctx, host, expected_attrs=["flavor", "info_cache"]):
        if inst.uuid in self.instances or inst.power_state not in KEPT:
            continue
        flavor = inst.flavor
        self.resources.claim(vcpus=flavor.vcpus, mem=flavor.memory_mb,
                             disk=flavor.root_gb)
        self.instances[inst.uuid] = fake.FakeInstance(
            inst.name, inst.power_state, inst.uuid)
        for vif in (inst.info_cache.network_info or []
                    if inst.info_cache else []):
            self._interfaces[vif["id"]] = vif


fake.FakeDriverWithoutFakeNodes.init_host = init_host
