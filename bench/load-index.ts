// Loads @cdktf/provider-azurerm from its package index (see bench/synth.ts).
import "@cdktf/provider-azurerm";
