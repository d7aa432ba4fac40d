/**
 * One plan comment per pull request, edited in place.
 *
 * `selectComment` (pure) picks the comment to edit among a pull request's
 * comments; `upsertComment` runs it against a GitHub REST client shaped like
 * octokit's (`github.rest.issues` of actions/github-script), so the workflow
 * calls it as:
 *
 *   const { upsertComment } = require(`${process.env.GITHUB_WORKSPACE}/dist/gitops/upsert-comment.js`);
 *   await upsertComment(github, { owner, repo, issueNumber, body });
 *
 * No network access here other than through the client passed in.
 */
import { COMMENT_MARKER } from "./plan-summary";

export interface IssueComment {
  readonly id: number;
  readonly body?: string | null;
  readonly user?: { readonly login: string; readonly type?: string } | null;
  readonly created_at?: string;
  readonly updated_at?: string;
}

export interface SelectOptions {
  readonly marker?: string;
  /**
   * Only comments by this login count (the workflow's token: "github-actions[bot]").
   * A human quoting the marker in a reply must not get their comment overwritten.
   */
  readonly author?: string;
}

export type UpsertDecision =
  | { readonly action: "create" }
  | { readonly action: "update"; readonly commentId: number; readonly duplicates: number[] };

/**
 * Which comment to edit: the oldest comment of the author carrying the marker
 * (the first the reviewers saw), else none (create one). Further ones, left
 * by an earlier race, are returned as duplicates.
 */
export function selectComment(comments: readonly IssueComment[], options: SelectOptions = {}): UpsertDecision {
  const marker = options.marker ?? COMMENT_MARKER;
  const ours = comments
    .filter((c) => typeof c.body === "string" && c.body.includes(marker))
    .filter((c) => options.author === undefined || c.user?.login === options.author)
    // A marker only quoted ("> <!-- … -->") is a reply, not our comment.
    .filter((c) => (c.body as string).split("\n").some((line) => line.trim() === marker))
    .sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? "") || a.id - b.id);
  if (!ours.length) return { action: "create" };
  return { action: "update", commentId: ours[0].id, duplicates: ours.slice(1).map((c) => c.id) };
}

/** The subset of octokit the upsert needs (github.rest of actions/github-script). */
export interface GitHubClient {
  readonly paginate: <T>(route: unknown, params: Record<string, unknown>) => Promise<T[]>;
  readonly rest: {
    readonly issues: {
      readonly listComments: unknown;
      readonly createComment: (p: { owner: string; repo: string; issue_number: number; body: string }) => Promise<{ data: { id: number; html_url?: string } }>;
      readonly updateComment: (p: { owner: string; repo: string; comment_id: number; body: string }) => Promise<{ data: { id: number; html_url?: string } }>;
      readonly deleteComment?: (p: { owner: string; repo: string; comment_id: number }) => Promise<unknown>;
    };
  };
}

export interface UpsertParams extends SelectOptions {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  readonly body: string;
  /** Delete duplicate marker comments of the same author. @default true */
  readonly deleteDuplicates?: boolean;
}

export async function upsertComment(github: GitHubClient, p: UpsertParams): Promise<{ action: "create" | "update"; id: number; url?: string }> {
  const marker = p.marker ?? COMMENT_MARKER;
  if (!p.body.includes(marker)) throw new Error(`the comment body lacks the marker ${marker}: it could never be found again`);
  const comments = await github.paginate<IssueComment>(github.rest.issues.listComments, {
    owner: p.owner,
    repo: p.repo,
    issue_number: p.issueNumber,
    per_page: 100,
  });
  const decision = selectComment(comments, p);
  if (decision.action === "create") {
    const { data } = await github.rest.issues.createComment({ owner: p.owner, repo: p.repo, issue_number: p.issueNumber, body: p.body });
    return { action: "create", id: data.id, url: data.html_url };
  }
  const { data } = await github.rest.issues.updateComment({ owner: p.owner, repo: p.repo, comment_id: decision.commentId, body: p.body });
  if ((p.deleteDuplicates ?? true) && github.rest.issues.deleteComment && p.author !== undefined) {
    for (const id of decision.duplicates) await github.rest.issues.deleteComment({ owner: p.owner, repo: p.repo, comment_id: id });
  }
  return { action: "update", id: data.id, url: data.html_url };
}
