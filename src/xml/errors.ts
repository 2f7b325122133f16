/** What was wrong with a document, for callers that answer differently (a SOAP fault says "Refused" for the first two). */
export type XmlProblem =
  | 'doctype-forbidden'
  | 'unknown-entity'
  | 'malformed'
  | 'unbound-prefix'
  | 'mismatched-tag'
  | 'too-deep'
  | 'too-long'
  | 'empty';

export class XmlSyntaxError extends Error {
  readonly problem: XmlProblem;
  readonly position: number;
  constructor(problem: XmlProblem, message: string, position: number) {
    super(`${message} (at character ${position})`);
    this.name = 'XmlSyntaxError';
    this.problem = problem;
    this.position = position;
  }
}
