// Resume and re-run (issue 16 point 1): a failed execution resumes from its
// failed card (recorded outputs of the cards before it reused), or re-runs
// whole with the same input; history links every attempt.
import { call } from './client'
import type { Execution, ExecutionSummary } from './types'
import type { CardChange } from './versions'

export interface ResumePlan {
  execution: string
  flow: string
  status: string
  interrupted?: boolean
  from?: string
  fromTitle?: string
  reused: string[]
  items: number
  changed: CardChange[]
  ranRevision?: number
  revision: number
  versionNote?: string
  canResume: boolean
  canRerun: boolean
  problems: string[]
}

export type AttemptSummary = ExecutionSummary & { attemptOf?: string; attemptKind?: 'resume' | 'rerun' }

export const attemptsApi = {
  plan: (id: string) => call<ResumePlan>('ResumePlan', id),
  resume: (id: string) => call<Execution>('ResumeRun', id),
  rerun: (id: string) => call<Execution>('RerunExecution', id),
  list: (id: string) => call<AttemptSummary[] | null>('ExecutionAttempts', id).then((r) => r ?? []),
}
