import { acceptedOf, judge } from "../scripts/lib/checkov-report";

const stack = {
  resource: {
    azurerm_storage_account: { lake_account_1: { "//": { checkov_accepted: { CKV_AZURE_59: "public by design", CKV2_AZURE_1: "no CMK" }, metadata: {} } } },
    azurerm_storage_container: { lake_filesystem_2: { "//": { metadata: {} } } },
  },
};

describe("checkov findings against the accepted ones", () => {
  test("GIVEN the findings the code accepts WHEN judged THEN each is accepted with its reason, once, whatever form checkov names the resource in", () => {
    const v = judge(
      [
        { check_id: "CKV_AZURE_59", resource: "resource.lake_account_1" },
        { check_id: "CKV2_AZURE_1", resource: "azurerm_storage_account.lake_account_1" },
        { check_id: "CKV2_AZURE_1", resource: "azurerm_storage_account.lake_account_1" },
      ],
      acceptedOf(stack),
    );
    expect(v).toEqual({
      unaccepted: [],
      stale: [],
      accepted: [
        { check: "CKV_AZURE_59", resource: "lake_account_1", reason: "public by design" },
        { check: "CKV2_AZURE_1", resource: "lake_account_1", reason: "no CMK" },
      ],
    });
  });

  test("GIVEN a finding accepted on another resource WHEN judged THEN it fails: acceptance is per resource, not per check", () => {
    expect(judge([{ check_id: "CKV_AZURE_59", resource: "azurerm_storage_container.lake_filesystem_2" }], acceptedOf(stack)).unaccepted).toHaveLength(1);
  });

  test("GIVEN an accepted finding that no longer occurs WHEN judged THEN it is stale", () => {
    expect(judge([{ check_id: "CKV_AZURE_59", resource: "resource.lake_account_1" }], acceptedOf(stack)).stale).toEqual([{ check: "CKV2_AZURE_1", resource: "lake_account_1" }]);
  });
});
