// The clinic's short lists for pickers and columns.
import type { Lists } from '../../../shared/api/views';
import type { StaffMember } from '../../../shared/domain/schemas/index';
import type { ServiceTable } from '../service-table';
import { plain, type Services } from './context';
import { procedureList } from './procedures';
import { loadScheduleLists } from './schedule';

export function listHandlers(services: Services): Pick<ServiceTable, 'lists.get'> {
  return {
    'lists.get': async (_input, context): Promise<Lists> => {
      const { db } = services.scope(context);
      const [lists, staff] = await Promise.all([loadScheduleLists(db), db.staff.find().exec()]);
      return {
        ...lists,
        staff: staff
          .map((doc) => plain<StaffMember>(doc))
          .sort((a, b) => a.name.localeCompare(b.name)),
        procedureList: procedureList(services),
      };
    },
  };
}
