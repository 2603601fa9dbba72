/** The stamp API's seven endpoints: how each is called and whether repeating it is harmless. */
export const ENDPOINTS = {
  create: { method: 'post', path: 'api/stamp/v1/create', retrySafe: false },
  validate: { method: 'get', path: 'api/stamp/v1/validate', retrySafe: true },
  // An update sends absolute values, so sending it twice leaves the same state.
  update: { method: 'put', path: 'api/stamp/v1/update', retrySafe: true },
  add: { method: 'put', path: 'api/stamp/v1/add', retrySafe: false },
  remove: { method: 'put', path: 'api/stamp/v1/remove', retrySafe: false },
  redeem: { method: 'put', path: 'api/stamp/v1/redeem', retrySafe: false },
  // A repeated delete answers "unknown stamp", which would misreport a success as a failure.
  delete: { method: 'delete', path: 'api/stamp/v1/delete', retrySafe: false },
} as const;

export type Endpoint = keyof typeof ENDPOINTS;
export const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as Endpoint[];
