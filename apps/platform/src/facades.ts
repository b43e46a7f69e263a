// The platform's facades, one per user application, in the order the banner lists them.
import { admin } from '@platform/admin';
import type { DefinedFacade } from '@platform/http';
import { support } from '@platform/support';
import { web } from '@platform/web';

export const DEFINED_FACADES: readonly DefinedFacade[] = [web, admin, support];
