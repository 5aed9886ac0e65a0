terraform {
  required_version = ">= 1.5"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

locals {
  tags = {
    team = "data"
    env  = var.environment
  }
  names = [for n in var.names : upper(n) if n != ""]
}

resource "aws_s3_bucket" "corpus" {
  bucket = "quarry-${var.region}"
  tags   = local.tags

  lifecycle {
    prevent_destroy = true
  }
}
