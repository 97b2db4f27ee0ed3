import { groupCommand } from '../group';
import { nfeBench } from './nfe';
import { numberingBench } from './numbering';
import { danfeBench } from './danfe';
import { syncBenchCommand } from './sync';
import { finalizeBench } from './finalize';
import { startupBench } from './startup';
import { contingencyBench } from './contingency';
import { scaleBench } from './scale';

// One file per benchmark under src/cli/bench/ (numbering, nfe, danfe, sync, finalize, startup, contingencia, scale).
export const benchCommand = groupCommand('bench', 'Benchmarks (números por segundo, lado a lado com um par)', () => [numberingBench, nfeBench, danfeBench, syncBenchCommand, finalizeBench, startupBench, contingencyBench, scaleBench]);
