export interface DeployCheck {
  url: string;
  files: number;
  bytes: number;
  problems: string[];
  notes: string[];
}
export function checkDeploy(appUrl: string, options?: { fetch?: typeof fetch }): Promise<DeployCheck>;
