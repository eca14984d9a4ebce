# A VPC with private subnets for the nodes and the databases, public ones for load balancers.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.13"

  name            = var.name
  cidr            = var.vpc_cidr
  azs             = local.azs
  private_subnets = [for index, zone in local.azs : cidrsubnet(var.vpc_cidr, 4, index)]
  public_subnets  = [for index, zone in local.azs : cidrsubnet(var.vpc_cidr, 8, 48 + index)]

  enable_nat_gateway = true
  single_nat_gateway = true

  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }
  public_subnet_tags  = { "kubernetes.io/role/elb" = "1" }
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)
}
