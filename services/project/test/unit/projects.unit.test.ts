// Projects and their members, with fake storage: no database, no broker.
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict } from '@platform/db';
import * as exc from '../../src/exceptions';
import { failure, MEMBER, OWNER, projectWorker, STRANGER } from './worker';

describe('creating a project', () => {
  it('makes the owner its first member and announces the project', async () => {
    const { service, events } = projectWorker();
    const project = await service.createProject(OWNER, '  Garden ', 'A shared garden');
    expect(project).toMatchObject({ name: 'Garden', description: 'A shared garden', owner_id: OWNER, version: 1 });
    expect(project.members).toEqual([expect.objectContaining({ user_id: OWNER, role: 'owner', added_by: OWNER })]);
    const { members: _members, ...announced } = project;
    expect(events('project_created')).toEqual([{ project: announced }]);
  });

  it('needs no description, and keeps an empty one as none', async () => {
    const { service } = projectWorker();
    await expect(service.createProject(OWNER, 'Garden')).resolves.toMatchObject({ description: null });
    await expect(service.createProject(OWNER, 'Garden', '   ')).resolves.toMatchObject({ description: null });
  });

  it('refuses bad input naming each field, and writes nothing', async () => {
    const { service, store, dispatch } = projectWorker();
    const error = (await failure(service.createProject('me', '', 'x'.repeat(2001)))) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.details.map((d) => d.field).sort()).toEqual(['description', 'name', 'ownerId']);
    await expect(service.createProject(OWNER, 42 as never)).rejects.toThrow(/name/);
    await expect(service.createProject(OWNER, 'x'.repeat(201))).rejects.toThrow(/name/);
    expect(store.projects.size).toBe(0);
    expect(dispatch.calls).toEqual([]);
  });
});

describe('seeing a project', () => {
  it('shows it with its members to a member', async () => {
    const { service } = projectWorker();
    const { id } = await service.createProject(OWNER, 'Garden');
    await service.addMember(id, MEMBER, OWNER);
    const project = await service.getProject(id, MEMBER);
    expect(project.members.map((m) => [m.user_id, m.role])).toEqual([
      [OWNER, 'owner'],
      [MEMBER, 'member'],
    ]);
  });

  it('answers a non-member exactly as if the project did not exist', async () => {
    const { service } = projectWorker();
    const { id } = await service.createProject(OWNER, 'Garden');
    const someoneElses = await failure(service.getProject(id, STRANGER));
    const missing = await failure(service.getProject(randomUUID(), STRANGER));
    expect(someoneElses).toBeInstanceOf(exc.NotFound);
    expect(missing).toBeInstanceOf(exc.NotFound);
    const shape = (error: Error) => error.message.replace(/[0-9a-f-]{36}/g, '<id>');
    expect(shape(someoneElses)).toBe(shape(missing));
  });

  it('lists the projects a user is in, newest first, and every project a page at a time with member counts', async () => {
    const { service } = projectWorker();
    const first = await service.createProject(OWNER, 'First');
    const second = await service.createProject(OWNER, 'Second');
    await service.createProject(STRANGER, 'Not ours');
    await service.addMember(first.id, MEMBER, OWNER);
    expect((await service.listProjectsForUser(OWNER)).map((p) => p.id)).toEqual([second.id, first.id]);
    expect((await service.listProjectsForUser(MEMBER)).map((p) => p.id)).toEqual([first.id]);
    const page = await service.listProjects(2, 2);
    expect(page).toMatchObject({ total: 3, page: 2, page_size: 2 });
    expect(page.items.map((p) => [p.name, p.member_count])).toEqual([['First', 2]]);
    await expect(service.listProjects()).resolves.toMatchObject({ page: 1, page_size: 20 });
  });

  it('refuses malformed ids and page sizes, naming the field', async () => {
    const { service } = projectWorker();
    await expect(service.getProject('nope', OWNER)).rejects.toThrow(/projectId/);
    await expect(service.getProject(randomUUID(), undefined as never)).rejects.toThrow(/requesterId/);
    await expect(service.listProjectsForUser(7 as never)).rejects.toThrow(/userId/);
    await expect(service.listProjects(0, 10)).rejects.toThrow(/page/);
    await expect(service.listProjects(1, 101)).rejects.toThrow(/pageSize/);
  });
});

describe('adding a member', () => {
  it('lets the owner and then any member add someone, announcing each', async () => {
    const { service, events } = projectWorker();
    const project = await service.createProject(OWNER, 'Garden');
    await expect(service.addMember(project.id, MEMBER, OWNER)).resolves.toMatchObject({ user_id: MEMBER, role: 'member', added_by: OWNER });
    await service.addMember(project.id, STRANGER, MEMBER);
    expect(events('member_added')).toEqual([
      { project: { id: project.id, name: 'Garden' }, member: { id: MEMBER }, added_by: { id: OWNER } },
      { project: { id: project.id, name: 'Garden' }, member: { id: STRANGER }, added_by: { id: MEMBER } },
    ]);
    await expect(service.getProject(project.id, OWNER)).resolves.toMatchObject({ version: 3 });
  });

  it('returns the membership as it is when the user is in already, changing and announcing nothing', async () => {
    const { service, events, store } = projectWorker();
    const project = await service.createProject(OWNER, 'Garden');
    const first = await service.addMember(project.id, MEMBER, OWNER);
    const before = store.snapshot();
    await expect(service.addMember(project.id, MEMBER, OWNER)).resolves.toEqual(first);
    await expect(service.addMember(project.id, OWNER, MEMBER)).resolves.toMatchObject({ role: 'owner' });
    expect(store.snapshot()).toEqual(before);
    expect(events('member_added')).toHaveLength(1);
  });

  it('answers an outsider who tries with NotFound, and adds no one', async () => {
    const { service, store, events } = projectWorker();
    const project = await service.createProject(OWNER, 'Garden');
    await expect(service.addMember(project.id, STRANGER, STRANGER)).rejects.toBeInstanceOf(exc.NotFound);
    expect(store.members).toHaveLength(1);
    expect(events('member_added')).toEqual([]);
  });

  it('says so when the project changed meanwhile', async () => {
    const { service, db } = projectWorker();
    const project = await service.createProject(OWNER, 'Garden');
    db.projects.addMember = async () => {
      throw new ConcurrencyConflict('moved on');
    };
    await expect(service.addMember(project.id, MEMBER, OWNER)).rejects.toBeInstanceOf(exc.ConcurrentChange);
  });

  it('refuses malformed ids naming each field', async () => {
    const { service } = projectWorker();
    const error = (await failure(service.addMember('p', null as never, 3 as never))) as exc.BadRequest;
    expect(error.details.map((d) => d.field).sort()).toEqual(['addedBy', 'projectId', 'userId']);
  });
});
