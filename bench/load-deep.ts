// Loads the azurerm modules the app uses, by their deep paths (see bench/synth.ts).
import "@cdktf/provider-azurerm/lib/provider";
import "@cdktf/provider-azurerm/lib/resource-group";
import "@cdktf/provider-azurerm/lib/storage-account";
import "@cdktf/provider-azurerm/lib/storage-container";
import "@cdktf/provider-azurerm/lib/role-assignment";
import "@cdktf/provider-azurerm/lib/eventhub";
import "@cdktf/provider-azurerm/lib/eventhub-namespace";
