import { COMMENT_MARKER } from "../gitops/plan-summary";
import { GitHubClient, IssueComment, selectComment, upsertComment } from "../gitops/upsert-comment";

const BOT = "github-actions[bot]";
const c = (id: number, login: string, body: string, created_at: string): IssueComment => ({ id, user: { login }, body, created_at });

describe("selectComment", () => {
  test("no plan comment yet: create", () => {
    expect(selectComment([c(1, "alice", "LGTM", "2026-01-01T00:00:00Z")], { author: BOT })).toEqual({ action: "create" });
  });

  test("edits the bot's marked comment", () => {
    const comments = [c(1, "alice", "LGTM", "2026-01-01T00:00:00Z"), c(2, BOT, `${COMMENT_MARKER}\n## Terraform plan`, "2026-01-02T00:00:00Z")];
    expect(selectComment(comments, { author: BOT })).toEqual({ action: "update", commentId: 2, duplicates: [] });
  });

  test("ignores a human quoting the marker, and other bots", () => {
    const comments = [
      c(3, "alice", `> ${COMMENT_MARKER}\n> ## Terraform plan\nwhy is this replaced?`, "2026-01-01T00:00:00Z"),
      c(4, "alice", `${COMMENT_MARKER}\nmy own copy`, "2026-01-01T00:00:00Z"),
      c(5, "other-bot[bot]", `${COMMENT_MARKER}\n`, "2026-01-01T00:00:00Z"),
    ];
    expect(selectComment(comments, { author: BOT })).toEqual({ action: "create" });
  });

  test("oldest first; later ones are duplicates", () => {
    const comments = [c(9, BOT, `${COMMENT_MARKER}\nB`, "2026-01-03T00:00:00Z"), c(7, BOT, `${COMMENT_MARKER}\nA`, "2026-01-02T00:00:00Z")];
    expect(selectComment(comments, { author: BOT })).toEqual({ action: "update", commentId: 7, duplicates: [9] });
  });

  test("a different marker (per environment) is a different comment", () => {
    const comments = [c(2, BOT, `${COMMENT_MARKER}\n`, "2026-01-02T00:00:00Z")];
    expect(selectComment(comments, { author: BOT, marker: "<!-- bridge-to-azure-plan:prod -->" })).toEqual({ action: "create" });
  });
});

describe("upsertComment against a fake client", () => {
  function fake(existing: IssueComment[]) {
    const calls: string[] = [];
    const client: GitHubClient = {
      paginate: async <T>(_route: unknown, params: Record<string, unknown>) => {
        calls.push(`list ${params.issue_number}`);
        return existing as unknown as T[];
      },
      rest: {
        issues: {
          listComments: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
          createComment: async (p) => {
            calls.push(`create ${p.issue_number}`);
            return { data: { id: 100 } };
          },
          updateComment: async (p) => {
            calls.push(`update ${p.comment_id}`);
            return { data: { id: p.comment_id } };
          },
          deleteComment: async (p) => {
            calls.push(`delete ${p.comment_id}`);
          },
        },
      },
    };
    return { client, calls };
  }
  const params = { owner: "o", repo: "r", issueNumber: 42, body: `${COMMENT_MARKER}\nplan`, author: BOT };

  test("creates once", async () => {
    const { client, calls } = fake([]);
    expect(await upsertComment(client, params)).toEqual({ action: "create", id: 100, url: undefined });
    expect(calls).toEqual(["list 42", "create 42"]);
  });

  test("then edits, removing duplicates", async () => {
    const { client, calls } = fake([c(7, BOT, `${COMMENT_MARKER}\nA`, "2026-01-02T00:00:00Z"), c(9, BOT, `${COMMENT_MARKER}\nB`, "2026-01-03T00:00:00Z")]);
    expect((await upsertComment(client, params)).action).toBe("update");
    expect(calls).toEqual(["list 42", "update 7", "delete 9"]);
  });

  test("refuses a body without the marker", async () => {
    const { client } = fake([]);
    await expect(upsertComment(client, { ...params, body: "no marker" })).rejects.toThrow(/lacks the marker/);
  });
});
