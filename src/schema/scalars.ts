import { valueFromASTUntyped } from 'graphql';
import { builder } from '../builder.js';
import { isCalendarDate, seoulDateTime } from '../dates.js';
import { InvalidValueError } from '../errors.js';

function parseDate(value: unknown): string {
  if (!isCalendarDate(value)) {
    throw new InvalidValueError(`Expected a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

builder.scalarType('Date', {
  description: 'A calendar date, `YYYY-MM-DD`. Stamp validity dates are days in Asia/Seoul, as the stamp service keeps them.',
  serialize: (value) => value,
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(valueFromASTUntyped(ast)),
});

builder.scalarType('DateTime', {
  description: 'An instant, ISO 8601 with its UTC offset, e.g. `2025-10-30T05:11:35+09:00`.',
  // Every instant the gateway answers with is in the stamp service's time zone, with its offset.
  serialize: (value) => seoulDateTime(new Date(value)),
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      throw new InvalidValueError('Expected an ISO 8601 date-time');
    }
    return value;
  },
});
