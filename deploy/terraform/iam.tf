# IAM roles for service accounts: Sentinel's pods (service account sentinel in the namespace
# sentinel) assume a role holding exactly deploy/aws/iam-policy.json, with its placeholders
# REGION, ACCOUNT_ID and CLUSTER filled in.
data "tls_certificate" "oidc" {
  url = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

resource "aws_iam_openid_connect_provider" "eks" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.oidc.certificates[0].sha1_fingerprint]
}

locals {
  oidc_issuer = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
  sentinel_policy = replace(replace(replace(
    file("${path.module}/../aws/iam-policy.json"),
    "REGION", var.region),
    "ACCOUNT_ID", data.aws_caller_identity.current.account_id),
  "CLUSTER", var.ecs_cluster_name)
}

resource "aws_iam_role" "sentinel" {
  name = "${var.name}-executor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_issuer}:sub" = "system:serviceaccount:${var.sentinel_namespace}:sentinel"
          "${local.oidc_issuer}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "sentinel" {
  name   = "sentinel-remediation"
  role   = aws_iam_role.sentinel.id
  policy = local.sentinel_policy
}
