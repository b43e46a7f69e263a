// The inventory service's contract of errors: they travel as `inventory.exceptions.<Name>`.
export class OutOfStock extends Error {}

export class UnknownProduct extends Error {}
