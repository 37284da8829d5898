// What the Workers test setup provides to tests and to the pool's Worker config (test-tools/workers-setup.ts).
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    directDatabaseUrl: string;
    faultControlUrl: string;
    fakeLlmUrl: string;
    fakeAccessUrl: string;
    fakeSlackUrl: string;
    mailOutboxUrl: string;
    webhookReceiverUrl: string;
  }
}

export {};
