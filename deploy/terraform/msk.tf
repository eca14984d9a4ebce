# Optional MSK (Kafka) for the bus (enable_msk). Plaintext inside the VPC on 9092, as the
# scale-out overlay's NetworkPolicy and sentinel.yaml expect; set bus.kafka.clientProperties for
# TLS (9094) instead.
resource "aws_security_group" "bus" {
  count       = var.enable_msk ? 1 : 0
  name_prefix = "${var.name}-bus-"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description     = "Kafka from the EKS nodes"
    from_port       = 9092
    to_port         = 9092
    protocol        = "tcp"
    security_groups = [aws_eks_cluster.this.vpc_config[0].cluster_security_group_id]
  }
}

resource "aws_msk_cluster" "bus" {
  count                  = var.enable_msk ? 1 : 0
  cluster_name           = "${var.name}-bus"
  kafka_version          = "3.8.x"
  number_of_broker_nodes = length(local.azs)

  broker_node_group_info {
    instance_type   = var.msk_instance_type
    client_subnets  = module.vpc.private_subnets
    security_groups = [aws_security_group.bus[0].id]
    storage_info {
      ebs_storage_info {
        volume_size = 100
      }
    }
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
    }
  }
}
