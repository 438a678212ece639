/**
 * Helpers for applications that call the ai-runner gateway through the official `openai` SDK.
 * Import them from `ai-runner/client`: this entry point loads nothing else of ai-runner.
 */

/** Values for the `{{NAME}}` placeholders of a config key's prompt. */
export type PromptVariables = Record<string, unknown>

/**
 * Adds ai-runner's `variables` to an OpenAI chat request and keeps the request's own type, so the
 * SDK's types (and its streaming overload) still apply. The gateway fills the prompt's
 * placeholders with them; OpenAI's request type has no such field, which is why a literal
 * `variables` key does not type-check.
 *
 * @example
 * const completion = await client.chat.completions.create(
 *   withVariables({ model: 'summarise_ticket', messages: [] }, { TICKET: text }),
 * )
 */
export function withVariables<Body extends object>(body: Body, variables: PromptVariables): Body {
  return Object.assign({}, body, { variables })
}
