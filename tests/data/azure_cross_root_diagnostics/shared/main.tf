terraform {
  backend "s3" {
    bucket = "shop-terraform-state"
    key    = "production/shared/terraform.tfstate"
    region = "us-east-1"
  }
}
provider "azurerm" {
  features {}
}
resource "azurerm_storage_account" "logs" {
  name                     = "shoplogs"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
output "logs_id" {
  value = azurerm_storage_account.logs.id
}
