export class OrderRejected extends Error {}
