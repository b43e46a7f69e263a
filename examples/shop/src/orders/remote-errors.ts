// The remote errors this service consumes, declared on its side (it does not import inventory).
import { ErrorRegistry } from '@platform/shimeji';

export class OutOfStock extends Error {}

export const remoteErrors = new ErrorRegistry().register('inventory.exceptions.OutOfStock', OutOfStock);
