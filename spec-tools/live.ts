// A real TypeScript client of the contract, run against a live server: what a TypeScript team does
// with openapi.yaml on day one. The types come from openapi-typescript (generated/omeda.ts, from
// ../openapi.yaml), the calls from openapi-fetch, and nothing else is written by hand but the
// checks of what comes back.
//
// `make spec-live` (part of `make test`) starts `omeda sandbox` on loopback and runs this file,
// compiled by tsc, with:
//
//   OMEDA_BASE_URL  the API root up to /webservices/rest
//   OMEDA_BRAND     the brand abbreviation
//   OMEDA_APP_ID    the x-omeda-appid the server requires
//   OMEDA_INPUT_ID  the x-omeda-inputid the server requires of a store
//
// It expects the sandbox's sample data (customer 12345's phones, customer 22 merged into 99999,
// a population of changed customers) and, since it stores a customer, must never be pointed at
// production. Each check prints one line; the first that fails ends the run with exit code 1.

import assert from "node:assert/strict";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/omeda.js";

type Schemas = components["schemas"];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const baseUrl = env("OMEDA_BASE_URL");
const brand = env("OMEDA_BRAND");
const appId = env("OMEDA_APP_ID");
const inputId = env("OMEDA_INPUT_ID");

if (/omeda\.com/i.test(new URL(baseUrl).hostname) && !/staging/i.test(baseUrl)) {
  throw new Error(`${baseUrl} looks like production; this client stores a customer`);
}

/** The client a team would write: the app id on every call, the input id on the store only. */
function omedaClient(credentials: { appId: string; inputId?: string }) {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request, schemaPath }) {
      request.headers.set("x-omeda-appid", credentials.appId);
      if (credentials.inputId !== undefined && schemaPath.endsWith("/storecustomerandorder/*")) {
        request.headers.set("x-omeda-inputid", credentials.inputId);
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}

const omeda = omedaClient({ appId, inputId });

// ---------------------------------------------------------------------------------------------
// Shapes the contract states in words: checked on every answer.

const localDateTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: C[SD]T)?$/;
const localDateTimeMillis = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}(?: C[SD]T)?$/;
const submissionId = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

function checkSubmissionId(id: Schemas["SubmissionId"] | undefined): void {
  if (id !== undefined) assert.match(id, submissionId);
}

function checkPhones(answer: Schemas["CustomerPhones"], customerId: number): void {
  assert.ok(answer.Customer.endsWith(`/brand/${brand}/customer/${customerId}/*`), `Customer is ${answer.Customer}`);
  for (const phone of answer.PhoneNumbers) {
    assert.ok(Number.isSafeInteger(phone.Id) && phone.Id > 0, `phone Id ${phone.Id}`);
    assert.equal(typeof phone.PhoneNumber, "string");
    assert.equal(typeof phone.PhoneContactType, "number");
    assert.match(phone.ChangedDate, localDateTime);
  }
  checkSubmissionId(answer.SubmissionId);
}

/**
 * The error envelope of a failed call, as the typed `error` of openapi-fetch gives it: the
 * envelope for the statuses the vendor documents, or the text of a gateway's 5XX page.
 */
function checkEnvelope(error: Schemas["ErrorEnvelope"] | string | undefined, status: number, got: number): Schemas["ErrorMessage"] {
  assert.equal(got, status, `status ${got}, expected ${status}`);
  assert.ok(error !== undefined && typeof error !== "string", `a ${status} has an error envelope, not ${JSON.stringify(error)}`);
  assert.ok(error.Errors.length > 0, "the envelope lists an error");
  const first = error.Errors[0];
  assert.ok(first !== undefined);
  assert.ok(first.Error.length > 0);
  checkSubmissionId(error.SubmissionId);
  return first;
}

/** The transaction lookup, the way to learn what a stored submission became. */
function lookUpTransaction(transactionId: number) {
  return omeda.GET("/brand/{brandAbbreviation}/transaction/{transactionId}/*", {
    params: { path: { brandAbbreviation: brand, transactionId } },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The calls.

const checks: Array<[string, () => Promise<string>]> = [];
const check = (name: string, run: () => Promise<string>) => checks.push([name, run]);

check("phone lookup by customer id", async () => {
  const { data, error, response } = await omeda.GET("/brand/{brandAbbreviation}/customer/{customerId}/phone/*", {
    params: { path: { brandAbbreviation: brand, customerId: "12345" } },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data !== undefined);
  checkPhones(data, 12345);
  assert.ok(data.PhoneNumbers.length > 0, "customer 12345 has phones");
  return `${data.PhoneNumbers.length} phones of customer 12345`;
});

check("a merged customer's 404, read through the typed error", async () => {
  const { data, error, response } = await omeda.GET("/brand/{brandAbbreviation}/customer/{customerId}/phone/*", {
    params: { path: { brandAbbreviation: brand, customerId: "22" } },
  });
  assert.equal(data, undefined);
  const first = checkEnvelope(error, 404, response.status);
  assert.equal(first.MergedIntoCustomerId, 99999, `merged into ${first.MergedIntoCustomerId}`);
  return `customer 22 merged into ${first.MergedIntoCustomerId}: "${first.Error}"`;
});

check("customer merge history lookup", async () => {
  const { data, error, response } = await omeda.GET("/brand/{brandAbbreviation}/customer/{customerId}/mergehistory/*", {
    params: { path: { brandAbbreviation: brand, customerId: "99999" } },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data !== undefined);
  const ids = data.CustomerMergeHistory.map((m) => m.Id);
  assert.ok(ids.includes(22), `the history of 99999 lists 22: ${ids.join(", ")}`);
  for (const id of ids) assert.ok(Number.isSafeInteger(id) && id > 0);
  checkSubmissionId(data.SubmissionId);
  return `customer 99999 absorbed ${ids.join(", ")}`;
});

check("customer change lookup", async () => {
  // The first quarter of 2025, inside the span of the sandbox's population (2021 to mid-2026).
  const startDate: Schemas["ChangeLookupDate"] = "01012025";
  const endDate: Schemas["ChangeLookupDate"] = "03312025";
  const { data, error, response } = await omeda.GET(
    "/brand/{brandAbbreviation}/customer/change/startdate/{startDate}/enddate/{endDate}/*",
    { params: { path: { brandAbbreviation: brand, startDate, endDate } } },
  );
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data !== undefined);
  assert.ok(data.Customers.length > 0, "the sandbox's population changes every day");
  const ids = new Set<number>();
  for (const c of data.Customers) {
    assert.ok(Number.isSafeInteger(c.Id) && c.Id > 0, `Id ${c.Id}`);
    assert.ok(!ids.has(c.Id), `customer ${c.Id} listed twice`);
    ids.add(c.Id);
    assert.ok(c.Url.endsWith(`/customer/${c.Id}/*`), c.Url);
    assert.match(c.DateChanged, localDateTimeMillis);
    assert.ok(c.DateChanged >= "2025-01-01" && c.DateChanged < "2025-04-01", `changed ${c.DateChanged}, outside the range`);
    assert.match(c.CreatedDate, localDateTimeMillis);
    assert.equal(typeof c.CustomerStatusId, "number");
  }
  checkSubmissionId(data.SubmissionId);
  return `${data.Customers.length} customers changed from ${startDate} to ${endDate}`;
});

check("store customer and order, then follow the transaction to the stored customer", async () => {
  const phone = `312555${String(Date.now() % 10000).padStart(4, "0")}`;
  const submission: Schemas["StoreCustomerAndOrderRequest"] = {
    FirstName: "Ada",
    LastName: "Lovelace",
    Emails: [{ EmailAddress: "ada@example.com" }],
    Phones: [{ PhoneContactType: 200, Number: phone }],
  };
  const stored = await omeda.POST("/brand/{brandAbbreviation}/storecustomerandorder/*", {
    params: { path: { brandAbbreviation: brand } },
    body: submission,
  });
  assert.equal(stored.response.status, 200, JSON.stringify(stored.error));
  assert.ok(stored.data !== undefined);
  const receipt = stored.data.ResponseInfo[0];
  assert.ok(receipt !== undefined, "the receipt names a transaction");
  assert.ok(Number.isSafeInteger(receipt.TransactionId) && receipt.TransactionId > 0);
  assert.ok(receipt.Url.endsWith(`/transaction/${receipt.TransactionId}/*`), receipt.Url);
  checkSubmissionId(stored.data.SubmissionId);

  // Omeda queues a submission; the transaction lookup says when it became a customer.
  let status: Schemas["TransactionStatus"] | undefined;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { data, error, response } = await lookUpTransaction(receipt.TransactionId);
    assert.equal(response.status, 200, JSON.stringify(error));
    assert.ok(data !== undefined);
    assert.equal(data.TransactionId, receipt.TransactionId);
    status = data;
    if (data.Status === 100 || data.Status === 101 || Date.now() > deadline) break;
    assert.equal(data.OmedaCustomerId, undefined, `status ${data.Status} has no customer yet`);
    await sleep(100);
  }
  assert.ok(status.Status === 100 || status.Status === 101, `the transaction ended in status ${status.Status}`);
  const customerId = status.OmedaCustomerId;
  assert.ok(customerId !== undefined && Number.isSafeInteger(customerId) && customerId > 0, "a processed transaction names its customer");

  // The stored customer answers the phone lookup with the phone it was stored with.
  const phones = await omeda.GET("/brand/{brandAbbreviation}/customer/{customerId}/phone/*", {
    params: { path: { brandAbbreviation: brand, customerId: String(customerId) } },
  });
  assert.equal(phones.response.status, 200, JSON.stringify(phones.error));
  assert.ok(phones.data !== undefined);
  checkPhones(phones.data, customerId);
  assert.deepEqual(phones.data.PhoneNumbers.map((p) => p.PhoneNumber), [phone]);
  return `transaction ${receipt.TransactionId} became customer ${customerId} (status ${status.Status}), with phone ${phone}`;
});

check("an unknown transaction's 404, read through the typed error", async () => {
  const { data, error, response } = await lookUpTransaction(999999999);
  assert.equal(data, undefined);
  const first = checkEnvelope(error, 404, response.status);
  return `"${first.Error}"`;
});

check("a wrong app id's 403, read through the typed error", async () => {
  const stranger = omedaClient({ appId: `not-${appId}` });
  const { data, error, response } = await stranger.GET("/brand/{brandAbbreviation}/customer/{customerId}/mergehistory/*", {
    params: { path: { brandAbbreviation: brand, customerId: "99999" } },
  });
  assert.equal(data, undefined);
  const first = checkEnvelope(error, 403, response.status);
  assert.ok(!first.Error.includes(appId), "the answer does not echo the app id");
  return `"${first.Error}"`;
});

let failed = false;
for (const [name, run] of checks) {
  try {
    console.log(`spec-live: ${name}: ok, ${await run()}`);
  } catch (err) {
    console.log(`spec-live: ${name}: FAILED\n  ${err instanceof Error ? err.message : String(err)}`);
    failed = true;
    break;
  }
}
if (!failed) console.log(`spec-live: ok, a client generated from openapi.yaml made ${checks.length} checks against ${baseUrl}`);
process.exitCode = failed ? 1 : 0;
