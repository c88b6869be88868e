import { artifacts } from 'hardhat';

/** The few solc AST node fields the table checks read. */
interface AstNode {
  nodeType: string;
  name?: string;
  constant?: boolean;
  value?: { nodeType: string; value?: string };
  members?: AstNode[];
  nodes?: AstNode[];
}

/** The compiled AST of `contractName` declared in `sourceName` (e.g. `src/libraries/MessageCodec.sol`). */
async function contractAst(sourceName: string, contractName: string): Promise<AstNode> {
  const buildInfo = await artifacts.getBuildInfo(`${sourceName}:${contractName}`);
  if (!buildInfo) throw new Error(`no build info for ${sourceName}:${contractName} (compile first)`);
  const unit = buildInfo.output.sources[sourceName].ast as AstNode;
  const contract = unit.nodes?.find((n) => n.nodeType === 'ContractDefinition' && n.name === contractName);
  if (!contract) throw new Error(`${contractName} not found in ${sourceName}`);
  return contract;
}

/** Every `constant` of a contract or library whose value is a number literal, by name. */
export async function numberConstants(sourceName: string, contractName: string): Promise<Map<string, bigint>> {
  const contract = await contractAst(sourceName, contractName);
  const constants = new Map<string, bigint>();
  for (const node of contract.nodes ?? []) {
    if (node.nodeType !== 'VariableDeclaration' || !node.constant) continue;
    if (node.value?.nodeType !== 'Literal' || node.value.value === undefined) continue;
    constants.set(node.name!, BigInt(node.value.value));
  }
  return constants;
}

/** Member names, in declaration order, of the enum `enumName` declared in a contract or interface. */
export async function enumMembers(sourceName: string, contractName: string, enumName: string): Promise<string[]> {
  const contract = await contractAst(sourceName, contractName);
  const definition = contract.nodes?.find((n) => n.nodeType === 'EnumDefinition' && n.name === enumName);
  if (!definition) throw new Error(`enum ${enumName} not found in ${contractName}`);
  return (definition.members ?? []).map((m) => m.name!);
}

/** `withdrawRequest` / `WithdrawRequest` → `WITHDRAW_REQUEST`. */
export function upperSnakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
