// Projects and their members: one aggregate, whose version moves on when its membership changes.
import { AlreadyExists, Collection, isUniqueViolation, NotFound } from '@platform/db';
import type { MemberRole } from '../states';

export interface ProjectRow {
  id: string;
  name: string;
  description: string | null;
  owner_id: string;
  version: number;
  created_at: Date;
}

export interface MemberRow {
  project_id: string;
  user_id: string;
  role: MemberRole;
  added_by: string;
  added_at: Date;
}

export class Projects extends Collection {
  /** Stores the project with its owner as its first member. */
  async add(project: Pick<ProjectRow, 'id' | 'name' | 'description' | 'owner_id'>): Promise<ProjectRow> {
    const trx = await this.trx();
    const [row] = await trx('projects').insert({ ...project, version: 1 }).returning('*');
    await trx('project_members').insert({ project_id: project.id, user_id: project.owner_id, role: 'owner', added_by: project.owner_id });
    return row as ProjectRow;
  }

  async getById(id: string): Promise<ProjectRow> {
    const db = await this.reader();
    const row = (await db('projects').where({ id }).first()) as ProjectRow | undefined;
    if (!row) throw new NotFound(`no project ${id}`);
    return row;
  }

  /** The project with the user's role in it; NotFound alike when it does not exist and when the user is not in it. */
  async getForMember(id: string, userId: string): Promise<ProjectRow & { role: MemberRole }> {
    const db = await this.reader();
    const row = await db('projects')
      .join('project_members', 'project_members.project_id', 'projects.id')
      .where({ 'projects.id': id, 'project_members.user_id': userId })
      .first('projects.*', 'project_members.role');
    if (!row) throw new NotFound(`no project ${id} with member ${userId}`);
    return row as ProjectRow & { role: MemberRole };
  }

  async findMember(projectId: string, userId: string): Promise<MemberRow | undefined> {
    const db = await this.reader();
    return (await db('project_members').where({ project_id: projectId, user_id: userId }).first()) as MemberRow | undefined;
  }

  async members(projectId: string): Promise<MemberRow[]> {
    const db = await this.reader();
    return (await db('project_members').where({ project_id: projectId }).orderBy(['added_at', 'user_id'])) as MemberRow[];
  }

  /** Adds a member if the project is still at the version read: ConcurrencyConflict otherwise. */
  async addMember(project: ProjectRow, member: { user_id: string; added_by: string }): Promise<MemberRow> {
    await this.updateVersioned('projects', project.id, project.version, {});
    const trx = await this.trx();
    try {
      const [row] = await trx('project_members').insert({ project_id: project.id, ...member, role: 'member' }).returning('*');
      return row as MemberRow;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExists(`${member.user_id} is a member of ${project.id} already`);
      throw error;
    }
  }

  /** The projects the user is a member of (owner included), newest first. */
  async listForMember(userId: string): Promise<ProjectRow[]> {
    const db = await this.reader();
    return (await db('projects')
      .join('project_members', 'project_members.project_id', 'projects.id')
      .where({ 'project_members.user_id': userId })
      .orderBy([{ column: 'projects.created_at', order: 'desc' }, { column: 'projects.id' }])
      .select('projects.*')) as ProjectRow[];
  }

  /** A page of all projects, newest first, each with how many members it has. */
  async find(page: number, pageSize: number): Promise<{ rows: (ProjectRow & { member_count: number })[]; total: number }> {
    const db = await this.reader();
    const [{ count }] = (await db('projects').count({ count: '*' })) as [{ count: string | number }];
    const rows = (await db('projects')
      .select('projects.*', db('project_members').count('*').whereRaw('project_members.project_id = projects.id').as('member_count'))
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(pageSize)
      .offset((page - 1) * pageSize)) as (ProjectRow & { member_count: string | number })[];
    return { rows: rows.map((row) => ({ ...row, member_count: Number(row.member_count) })), total: Number(count) };
  }
}
