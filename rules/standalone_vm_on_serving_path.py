"""RES313 standalone-vm-on-serving-path."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Project, Unit
from resilint.provenance import HOW_MANY
from resilint.relations.standalone import standalone_machines
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES313",
    name="standalone-vm-on-serving-path",
    severity=Severity.WARNING,
    summary="A single virtual machine serves traffic with no group behind it",
    fix="Serve from a group that spans two or more zones (Auto Scaling group, scale set, managed instance group)",
    tags=("az", "compute"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a virtual machine that is the only thing the code puts behind a load balancer or a
    public DNS name, with no group to replace it:

    - an EC2 instance (`aws_instance`, `AWS::EC2::Instance`) that is the only target registered
      with a target group a listener or listener rule forwards to
      (`aws_lb_target_group_attachment`, the target group's `Targets`), with no Auto Scaling
      group or ECS service registered with it;
    - an Azure VM whose network interface is the only member of a load balancer's or an
      application gateway's backend pool
      (`azurerm_network_interface_backend_address_pool_association`,
      `azurerm_network_interface_application_gateway_backend_address_pool_association`), with no
      scale set or address in the pool;
    - a Google VM (`google_compute_instance`) that is the only instance of an unmanaged instance
      group used by a backend service, or of a target pool;
    - a machine that is the only answer of a simple A or AAAA record in a public zone: its own
      address, an Elastic IP attached to it (by the address's `instance` / `InstanceId`, or by
      an `aws_eip_association` / `AWS::EC2::EIPAssociation`), the public IP of its network
      interface, or a static Google address (`google_compute_address`) its
      `access_config.nat_ip` attaches.

    Targets registered from outside the code (another stack, a controller) are not seen: the
    rule says what the code registers. Anything it cannot resolve (an attachment whose target
    group is not known, a membership whose pool is not known, a record answer of unknown
    origin, a machine whose count is not known) means no finding. Machines that nothing routes
    to (bastions, batch hosts) are not judged. The same record may also get RES307, which is
    about the region: this rule is about the one machine in one zone.

    ## Why is this bad?
    A single machine lives in one availability zone and on one host. When the host fails, the
    zone has an outage or the instance is retired, the service behind the load balancer or the
    name has nothing left to answer, and nothing launches a replacement: someone has to notice
    and rebuild it. A group of two or more machines across zones keeps serving and replaces the
    lost one by itself.

    ## Example
    ```hcl
    resource "aws_instance" "web" {
      ami           = "ami-0123456789abcdef0"
      instance_type = "t3.small"
      subnet_id     = aws_subnet.private_a.id
    }

    resource "aws_lb_target_group_attachment" "web" {
      target_group_arn = aws_lb_target_group.web.arn
      target_id        = aws_instance.web.id
    }
    ```

    Use instead:
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size            = 2
      max_size            = 4
      vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id]
      target_group_arns   = [aws_lb_target_group.web.arn]

      launch_template {
        id = aws_launch_template.web.id
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel_fault_isolation_multiaz_region_system.html
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html
    - https://learn.microsoft.com/en-us/azure/reliability/reliability-virtual-machines
    - https://cloud.google.com/compute/docs/instance-groups#unmanaged_instance_groups
    """
    for standalone in standalone_machines(unit):
        machine = standalone.machine
        yield Violation(
            f"{machine.address} is {standalone.how}: one virtual machine in one zone serves this traffic, and "
            "nothing replaces it when it, its host or its zone fails",
            at=machine.resource,
            fix=machine.word("group_fix"),
            rests_on=HOW_MANY,  # one machine: how many there are decides it
        )
