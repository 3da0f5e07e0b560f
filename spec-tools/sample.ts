// A typed usage sample for the types openapi-typescript generates from ../openapi.yaml.
//
// It is what a TypeScript team would write against the contract: it builds a request for each of
// the five operations and reads every field of each 200 answer and of the error envelope, with the
// type it expects written out. `tsc --noEmit` checks it on every `make test`; break-check.mjs
// proves that it stops compiling when a response field changes type in the contract. Nothing here
// runs: it only has to type-check.

import type { components, operations, paths } from "./generated/omeda.js";

type Schemas = components["schemas"];

// ---------------------------------------------------------------------------------------------
// Helpers over the generated `paths` and `operations` types.

/** The HTTP methods the contract uses, as openapi-typescript names them. */
type Method = "get" | "post";

/** The operation served at path P for method M; never when the path has no such method. */
type OperationAt<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The path parameters of that operation, every one required. */
type PathParams<P extends keyof paths, M extends Method> = OperationAt<P, M>["parameters"]["path"];

/** The JSON body of a request or response object in the generated types. */
type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;

/** The arguments after the path parameters: the JSON body when the operation takes one. */
type BodyArgs<P extends keyof paths, M extends Method> =
  OperationAt<P, M> extends { requestBody: infer R } ? [body: Json<R>] : [];

/** The body of the answer with status S to operation O. */
type Answer<O extends keyof operations, S extends keyof operations[O]["responses"]> = Json<
  operations[O]["responses"][S]
>;

/** The credentials Omeda issues; the input id is needed only to store customers and orders. */
export interface Credentials {
  readonly appId: string;
  readonly inputId?: string;
}

/** A request ready for any HTTP client. */
export interface ApiRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Staging, the second server the contract lists; production is https://ows.omeda.com/webservices/rest. */
const baseUrl = "https://ows.omedastaging.com/webservices/rest";

/**
 * Builds a request for the operation at `path` and `method`. The path parameters and the body are
 * checked against the contract: a missing parameter or a wrong body does not compile. A parameter
 * is a string or, where the contract says integer (the transaction id), a number.
 */
function buildRequest<P extends keyof paths, M extends Method>(
  credentials: Credentials,
  method: M,
  path: P,
  params: PathParams<P, M> & Readonly<Record<string, string | number>>,
  ...body: BodyArgs<P, M>
): ApiRequest {
  const url =
    baseUrl +
    path.replace(/\{([^}]+)\}/g, (_match: string, name: string): string => {
      const value = params[name];
      if (value === undefined) {
        throw new Error(`path parameter ${name} is missing`);
      }
      return encodeURIComponent(String(value));
    });
  const headers: Record<string, string> = { Accept: "application/json", "x-omeda-appid": credentials.appId };
  if (credentials.inputId !== undefined) {
    headers["x-omeda-inputid"] = credentials.inputId;
  }
  const [payload] = body;
  if (payload === undefined) {
    return { method: method === "get" ? "GET" : "POST", url, headers };
  }
  headers["Content-Type"] = "application/json";
  return { method: method === "get" ? "GET" : "POST", url, headers, body: JSON.stringify(payload) };
}

const credentials: Credentials = { appId: "app-id-from-omeda", inputId: "input-id-from-omeda" };

// ---------------------------------------------------------------------------------------------
// Requests: one for each operation, with the path parameters the contract names.

const phoneParams: operations["phoneLookupByCustomerId"]["parameters"]["path"] = {
  brandAbbreviation: "FOO",
  customerId: "12345",
};
export const phoneLookupRequest: ApiRequest = buildRequest(
  credentials,
  "get",
  "/brand/{brandAbbreviation}/customer/{customerId}/phone/*",
  phoneParams,
);

const changeParams: operations["customerChangeLookup"]["parameters"]["path"] = {
  brandAbbreviation: "FOO",
  startDate: "01022013",
  endDate: "01032013_1323",
};
export const changeLookupRequest: ApiRequest = buildRequest(
  credentials,
  "get",
  "/brand/{brandAbbreviation}/customer/change/startdate/{startDate}/enddate/{endDate}/*",
  changeParams,
);

const mergeParams: operations["customerMergeHistoryLookup"]["parameters"]["path"] = {
  brandAbbreviation: "FOO",
  customerId: "9130C2719701F5S",
};
export const mergeHistoryRequest: ApiRequest = buildRequest(
  credentials,
  "get",
  "/brand/{brandAbbreviation}/customer/{customerId}/mergehistory/*",
  mergeParams,
);

// Every element of the submission. ClientCustomerId (deprecated) is left out because the contract
// forbids sending it together with OmedaCustomerId, which a type cannot say.
const submission: Schemas["StoreCustomerAndOrderRequest"] = {
  OmedaCustomerId: 1234,
  ExternalCustomerId: "crm-000042",
  ExternalCustomerIdNamespace: "CRM",
  Salutation: "Mr.",
  FirstName: "James",
  MiddleName: "J",
  LastName: "Smith",
  Suffix: "Sr",
  Title: "Orthopaedic Surgeon",
  Gender: "M",
  SignupDate: "2010-04-18",
  ClientOrderId: "ORD19520",
  PromoCode: "ZZZ2010A23",
  OrderDate: "2010-04-18 09:30",
  Addresses: [
    {
      AddressContactType: 100,
      Company: "Smith Orthopaedics",
      Street: "555 Huehl Road",
      ApartmentMailStop: "2nd Floor",
      ExtraAddress: "Room 34",
      City: "Northbrook",
      RegionCode: "IL",
      Region: "Illinois",
      PostalCode: "60062-0123",
      CountryCode: "USA",
      Country: "United States",
      AddressProducts: "12,13,14",
      Airmail: "",
    },
  ],
  Phones: [
    { PhoneContactType: 200, Number: "847-555-7527", Extension: "72" },
    { PhoneContactType: 230, Number: "+1 (847) 555-6573" },
  ],
  Emails: [
    { EmailContactType: 300, EmailAddress: "owner@smithortho.domain.com", EmailProducts: "ALL_NEWSLETTER" },
    { EmailContactType: 310, EmailAddress: "jsmith@domain.com" },
  ],
  CustomerDemographics: [
    // One value id as a number, one as a string, and several as an array of both.
    { OmedaDemographicId: 10001, OmedaDemographicValue: 10003 },
    { OmedaDemographicId: 10002, OmedaDemographicValue: "10004", WriteInDesc: "Other OEC value" },
    { OmedaDemographicId: 10003, OmedaDemographicValue: [10002, "10001"] },
  ],
  Products: [
    {
      OmedaProductId: 14,
      Receive: 1,
      Quantity: 1,
      PersonalIdentifier: "test",
      RequestedVersion: "D",
      ShippingAddressId: 112,
      EmailAddressId: 1,
      Sku: "SKU-14",
    },
    // Receive and Quantity have defaults, so they may be left out.
    { OmedaProductId: 24 },
  ],
  ProductUpdates: [{ OmedaProductIdUpdate: 15, RequestedVersionUpdate: "B" }],
  MarketingProducts: [
    {
      OmedaProductId: 31,
      ShippingAddressId: 112,
      EmailAddressId: 1,
      ProductFieldResponses: [
        { ProductFieldId: 7, ProductFieldResponseValue: 3 },
        { ProductFieldId: 8, ProductFieldResponseValue: "2024-05-01" },
      ],
    },
  ],
  Telemarketing: [
    {
      TelemarketingCompany: "Tele company Name",
      TelemarketingRecordingId: "12345",
      TelemarketingAgent: "Smith",
      PersonalIdQuestion: "Eye color",
      TimeOfCall: "2011-10-10 12:15",
      EndOfCall: "2011-10-10 12:30",
      LengthOfCall: 15,
      SpokeToName: "Jessica",
      SpokeToTitle: "Manager",
      AuthorizedAssistantResponse: false,
      GeneralTeleInfo: "Additional Information",
    },
  ],
  CustomerBehaviors: [
    {
      BehaviorId: 105,
      BehaviorDate: "2011-07-20 12:12:12",
      BehaviorPromoCode: "456",
      BehaviorAttributes: [
        { BehaviorAttributeTypeId: 222, BehaviorAttributeValue: "Article Name Something" },
        { BehaviorAttributeTypeId: 3, BehaviorAttributeValueId: 60 },
      ],
    },
  ],
  DonorId: 5678,
  MergeCode: 1,
};

// A paid order as the vendor's paid page sends it: codes and amounts as strings, processed at once.
export const paidOrder: Schemas["StoreCustomerAndOrderRequest"] = {
  RunProcessor: 1,
  CustomerStatusId: "1",
  ExternalCustomerId: "crm-000043",
  Products: [{ OmedaProductId: 14, Term: "12", Amount: "65.00", AmountPaid: "71.50", SalesTax: 6.5, AutoRenewalCode: "5" }],
  BillingInformation: {
    CreditCardType: "1",
    CreditCardNumber: "4111111111111111",
    ExpirationDate: "0230",
    CardSecurityCode: "999",
    NameOnCard: "James Smith",
    DoCharge: "False",
    BillingStreet: "555 Huehl Road",
    BillingCity: "Northbrook",
    BillingRegion: "IL",
    BillingPostalCode: "60062",
    BillingCountryCode: "USA",
  },
};

const storeParams: operations["storeCustomerAndOrder"]["parameters"]["path"] = { brandAbbreviation: "FOO" };
export const storeRequest: ApiRequest = buildRequest(
  credentials,
  "post",
  "/brand/{brandAbbreviation}/storecustomerandorder/*",
  storeParams,
  submission,
);

// The receipt's TransactionId, followed to what the submission became.
const transactionParams: operations["transactionLookup"]["parameters"]["path"] = {
  brandAbbreviation: "FOO",
  transactionId: 8907512,
};
export const transactionLookupRequest: ApiRequest = buildRequest(
  credentials,
  "get",
  "/brand/{brandAbbreviation}/transaction/{transactionId}/*",
  transactionParams,
);

// ---------------------------------------------------------------------------------------------
// 200 answers: every field read with the type a client expects of it.

export function describePhones(answer: Answer<"phoneLookupByCustomerId", 200>): string[] {
  const customer: string = answer.Customer;
  const submissionId: string | undefined = answer.SubmissionId;
  const lines: string[] = [`customer ${customer} (submission ${submissionId ?? "none"})`];
  for (const phone of answer.PhoneNumbers) {
    const id: number = phone.Id;
    // A code, not a closed list: Omeda may answer with codes its pages do not name.
    const type: number = phone.PhoneContactType;
    const number: string = phone.PhoneNumber;
    const extension: string | undefined = phone.Extension;
    const changed: string = phone.ChangedDate;
    const status: number | undefined = phone.StatusCode;
    lines.push(`${id}: type ${type} ${number} x${extension ?? "-"}, status ${status ?? "-"}, changed ${changed}`);
  }
  return lines;
}

export function describeChanges(answer: Answer<"customerChangeLookup", 200>): string[] {
  const submissionId: string | undefined = answer.SubmissionId;
  const lines: string[] = [`submission ${submissionId ?? "none"}`];
  for (const changed of answer.Customers) {
    const id: number = changed.Id;
    const url: string = changed.Url;
    const dateChanged: string = changed.DateChanged;
    const createdDate: string = changed.CreatedDate;
    const status: number = changed.CustomerStatusId;
    lines.push(`${id} at ${url}: created ${createdDate}, changed ${dateChanged}, status ${status}`);
  }
  return lines;
}

export function describeMergeHistory(answer: Answer<"customerMergeHistoryLookup", 200>): string[] {
  const submissionId: string | undefined = answer.SubmissionId;
  const merged: number[] = answer.CustomerMergeHistory.map((customer: Schemas["MergedCustomer"]): number => {
    const id: number = customer.Id;
    return id;
  });
  return [`submission ${submissionId ?? "none"}`, `merged in: ${merged.join(", ")}`];
}

export function describeReceipt(answer: Answer<"storeCustomerAndOrder", 200>): string[] {
  const submissionId: string | undefined = answer.SubmissionId;
  const lines: string[] = [`submission ${submissionId ?? "none"}`];
  for (const transaction of answer.ResponseInfo) {
    const id: number = transaction.TransactionId;
    const url: string = transaction.Url;
    lines.push(`queued as transaction ${id}, follow it at ${url}`);
    // Present when the submission asked for RunProcessor: processed at once.
    const customerId: number | undefined = transaction.CustomerId;
    const encryptedCustomerId: string | undefined = transaction.EncryptedCustomerId;
    const orderId: number | undefined = transaction.OrderId;
    if (customerId !== undefined) {
      lines.push(`processed: customer ${customerId} (${encryptedCustomerId ?? "-"}), order ${orderId ?? "-"}`);
    }
  }
  return lines;
}

export function describeTransaction(answer: Answer<"transactionLookup", 200>): string[] {
  const id: number = answer.TransactionId;
  // A code of the vendor's status table, not a closed list: Omeda may add codes.
  const status: number = answer.Status;
  const customerId: number | undefined = answer.OmedaCustomerId;
  // The id the submitting system gave: the vendor answers it as a number, submissions send a string.
  const clientCustomerId: number | string | undefined = answer.ClientCustomerId;
  const submissionId: string | undefined = answer.SubmissionId;
  const lines: string[] = [
    `transaction ${id}: status ${status}, customer ${customerId ?? "not known yet"}`,
    `client customer ${clientCustomerId ?? "-"}, submission ${submissionId ?? "none"}`,
  ];
  // The transaction's own problems, not a failure of the lookup.
  for (const problem of answer.Errors ?? []) {
    const message: string = problem.Error;
    lines.push(`problem: ${message}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The error envelope, the same for every error status of every operation.

/** What a client needs from an error answer: the messages, the surviving customer, the submission. */
export interface OmedaError {
  readonly messages: string[];
  readonly mergedIntoCustomerId: number | undefined;
  readonly submissionId: string | undefined;
}

export function readError(envelope: Schemas["ErrorEnvelope"]): OmedaError {
  const messages: string[] = [];
  let mergedIntoCustomerId: number | undefined;
  for (const error of envelope.Errors) {
    const message: string = error.Error;
    const mergedInto: number | undefined = error.MergedIntoCustomerId;
    messages.push(message);
    mergedIntoCustomerId ??= mergedInto;
  }
  const submissionId: string | undefined = envelope.SubmissionId;
  return { messages, mergedIntoCustomerId, submissionId };
}

// Each operation's error statuses answer with that envelope.
export const errorBodies: {
  phone404: Answer<"phoneLookupByCustomerId", 404>;
  phone403: Answer<"phoneLookupByCustomerId", 403>;
  change404: Answer<"customerChangeLookup", 404>;
  merge404: Answer<"customerMergeHistoryLookup", 404>;
  store400: Answer<"storeCustomerAndOrder", 400>;
  store405: Answer<"storeCustomerAndOrder", 405>;
  store500: Answer<"storeCustomerAndOrder", 500>;
  transaction404: Answer<"transactionLookup", 404>;
} = {
  phone404: {
    SubmissionId: "2da476ca-9ae6-4b4a-a77c-4aafbd275028",
    Errors: [{ MergedIntoCustomerId: 99999, Error: "Customer id 22 is valid but not active. Please use 99999." }],
  },
  phone403: { Errors: [{ Error: "Forbidden" }] },
  change404: {
    SubmissionId: "ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d",
    Errors: [{ Error: "No customers changed within that date range." }],
  },
  merge404: { Errors: [{ Error: "Customer 12345 was not found." }] },
  store400: { Errors: [{ Error: "The ShippingAddressId 112 does not belong to the Customer submitted" }] },
  store405: { Errors: [{ Error: "Method not allowed." }] },
  store500: { Errors: [{ Error: "Internal server error." }] },
  transaction404: {
    Errors: [{ Error: "No status found for transaction 55973543453." }],
    SubmissionId: "40078f34-7f99-416b-9635-1d63242ef3fd",
  },
};

export const mergedInto: number | undefined = readError(errorBodies.phone404).mergedIntoCustomerId;

// ---------------------------------------------------------------------------------------------
// The vendor's documented 200 answers, as the generated types accept them.

export const documentedAnswers: string[] = [
  ...describePhones({
    Customer: "https://ows.omedastaging.com/webservices/rest/brand/FOO/customer/12345/*",
    PhoneNumbers: [
      {
        Id: 472517,
        PhoneContactType: 200,
        PhoneNumber: "8475648900",
        Extension: "999",
        StatusCode: 1,
        ChangedDate: "2015-03-08 21:23:34",
      },
      { Id: 472518, PhoneContactType: 210, PhoneNumber: "8475648901", ChangedDate: "2015-03-08 21:23:34" },
    ],
    SubmissionId: "24B9BF6F-0677-462B-942A-D87EEBD10F77",
  }),
  ...describeChanges({
    Customers: [
      {
        Url: "https://ows.omedastaging.com/webservices/rest/brand/CCB/customer/122234562/*",
        Id: 122234562,
        DateChanged: "2018-07-04 00:00:00.000",
        CreatedDate: "2018-03-14 15:25:43.210",
        CustomerStatusId: 1,
      },
    ],
  }),
  ...describeMergeHistory({ CustomerMergeHistory: [{ Id: 111 }, { Id: 2222 }] }),
  ...describeReceipt({
    ResponseInfo: [
      { TransactionId: 8907512, Url: "https://ows.omedastaging.com/webservices/rest/brand/FOO/transaction/8907512/*" },
    ],
  }),
  // The vendor's example (its two Error keys in one object made two), then a processed transaction.
  ...describeTransaction({
    TransactionId: 42355632,
    Status: 2,
    ClientCustomerId: 1293401,
    Errors: [{ Error: "invalid email" }, { Error: "vulgarity" }],
  }),
  ...describeTransaction({
    TransactionId: 8907512,
    Status: 100,
    OmedaCustomerId: 100221802,
    SubmissionId: "4944A8BD-5D18-4819-A258-D95BD7270901",
  }),
];
