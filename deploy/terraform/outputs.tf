output "cluster_name" {
  description = "EKS cluster: aws eks update-kubeconfig --name <this>."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "The Kubernetes API's endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "sentinel_role_arn" {
  description = "Annotate the ServiceAccount sentinel with eks.amazonaws.com/role-arn = this."
  value       = aws_iam_role.sentinel.arn
}

output "state_url" {
  description = "state.url of the scale-out overlay's sentinel.yaml."
  value       = "jdbc:postgresql://${aws_db_instance.state.address}:${aws_db_instance.state.port}/sentinel"
}

output "state_password_secret_arn" {
  description = "Secrets Manager secret holding the state store's password (state-password of sentinel-secrets)."
  value       = aws_db_instance.state.master_user_secret[0].secret_arn
}

output "kafka_bootstrap" {
  description = "bus.kafka.bootstrap of the scale-out overlay (empty without enable_msk)."
  value       = var.enable_msk ? aws_msk_cluster.bus[0].bootstrap_brokers : ""
}

output "clickhouse_url" {
  description = "telemetry.clickhouse.url of the scale-out overlay (the external endpoint given)."
  value       = var.clickhouse_url
}
