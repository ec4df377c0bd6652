// One set of test IDs shared by the unit tests and the browser suite.
export const testIds = {
  app: {
    root: 'data-testid opsdeck-app-root',
  },
  appConfig: {
    apiUrl: 'data-testid ac-api-url',
    apiToken: 'data-testid ac-api-token',
    submit: 'data-testid ac-submit-form',
  },
  ops: {
    page: 'data-testid ops-page',
  },
};
