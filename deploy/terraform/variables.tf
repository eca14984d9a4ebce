variable "region" {
  description = "AWS region for the cluster, the database and the bus."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Prefix of every resource's name."
  type        = string
  default     = "sentinel"
}

variable "kubernetes_version" {
  description = "EKS control plane version."
  type        = string
  default     = "1.32"
}

variable "vpc_cidr" {
  description = "CIDR of the VPC made for the cluster."
  type        = string
  default     = "10.40.0.0/16"
}

variable "spot_instance_types" {
  description = "Instance types of the spot worker group; several, so a reclaimed type can be replaced by another."
  type        = list(string)
  default     = ["m6i.large", "m5.large", "m6a.large", "m7i.large"]
}

variable "spot_size" {
  description = "Desired, minimum and maximum size of the spot worker group (Sentinel's replicas run here)."
  type        = object({ desired = number, min = number, max = number })
  default     = { desired = 3, min = 2, max = 6 }
}

variable "on_demand_instance_type" {
  description = "Instance type of the small on-demand group for the stateful parts (e.g. the embedded overlay's single replica)."
  type        = string
  default     = "m6i.large"
}

variable "db_instance_class" {
  description = "RDS PostgreSQL instance class for the state store."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "RDS storage in GiB."
  type        = number
  default     = 50
}

variable "enable_msk" {
  description = "Make an MSK (Kafka) cluster for the bus; false keeps the embedded bus or an existing Kafka."
  type        = bool
  default     = false
}

variable "msk_instance_type" {
  description = "Broker instance type when enable_msk is true."
  type        = string
  default     = "kafka.m7g.large"
}

variable "clickhouse_url" {
  description = "HTTP URL of an existing ClickHouse for the telemetry history (e.g. ClickHouse Cloud); empty for the embedded DuckDB store."
  type        = string
  default     = ""
}

variable "ecs_cluster_name" {
  description = "The ECS cluster whose services Sentinel's AWS executor may update (the policy's CLUSTER)."
  type        = string
  default     = "prod"
}

variable "sentinel_namespace" {
  description = "Kubernetes namespace and service account of Sentinel (deploy/kubernetes)."
  type        = string
  default     = "sentinel"
}
