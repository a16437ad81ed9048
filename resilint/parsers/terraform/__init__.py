"""Terraform: HCL and JSON configuration, tfvars, and `terraform show -json` plans."""
