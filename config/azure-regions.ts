/**
 * Azure regions (programmatic names) that offer StorageV2 with hierarchical
 * namespace. Checked at synth time so a typo fails before any provider runs.
 */
export const AZURE_LOCATIONS: ReadonlySet<string> = new Set([
  "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast",
  "austriaeast", "belgiumcentral", "brazilsouth", "brazilsoutheast",
  "canadacentral", "canadaeast", "centralindia", "centralus", "chilecentral",
  "eastasia", "eastus", "eastus2", "francecentral", "francesouth",
  "germanynorth", "germanywestcentral", "indonesiacentral", "israelcentral",
  "italynorth", "japaneast", "japanwest", "jioindiacentral", "jioindiawest",
  "koreacentral", "koreasouth", "malaysiawest", "mexicocentral", "newzealandnorth",
  "northcentralus", "northeurope", "norwayeast", "norwaywest", "polandcentral",
  "qatarcentral", "southafricanorth", "southafricawest", "southcentralus",
  "southeastasia", "southindia", "spaincentral", "swedencentral", "swedensouth",
  "switzerlandnorth", "switzerlandwest", "uaecentral", "uaenorth", "uksouth",
  "ukwest", "westcentralus", "westeurope", "westindia", "westus", "westus2", "westus3",
]);
