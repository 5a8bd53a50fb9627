// Environments (issue 16 point 3): connections bind dev, staging and prod;
// manual runs use the active environment, switched-on flows their own.
import { call } from './client'

export interface EnvState { active: string; names: string[] }
export interface RunTarget { connection: string; name: string; kind: string; environment: string; tenant?: string; bound: boolean; missing?: boolean }

export const envApi = {
  state: () => call<EnvState>('Environments'),
  set: (env: string) => call<void>('SetEnvironment', env),
  flowEnv: (flowId: string) => call<string>('FlowEnvironment', flowId),
  setFlowEnv: (flowId: string, env: string) => call<void>('SetFlowEnvironment', flowId, env),
  targets: (flowId: string, env = '') => call<RunTarget[] | null>('RunTargets', flowId, env).then((r) => r ?? []),
}
