terraform {
  backend "s3" {
    bucket = "shop-terraform-state"
    key    = "production/app/terraform.tfstate"
    region = "us-east-1"
  }
}
provider "azurerm" {
  features {}
}
data "terraform_remote_state" "shared" {
  backend = "s3"
  config = {
    bucket = "shop-terraform-state"
    key    = "production/shared/terraform.tfstate"
    region = "us-east-1"
  }
}
resource "azurerm_monitor_diagnostic_setting" "diagnostics" {
  name               = "diagnostics"
  target_resource_id = "x"
  storage_account_id = data.terraform_remote_state.shared.outputs.logs_id
}
resource "azurerm_storage_account" "data" {
  name                     = "shopdata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
