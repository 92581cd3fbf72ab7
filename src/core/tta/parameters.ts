import type { Architecture } from '../model/contract.ts';
import { MODE_RECIPES, type AdaptMode, type LayerSet } from './modes.ts';

/**
 * Names of the tensors a mode updates: `normalizer` the four normalizer CNNs, `bn` and
 * `tent` the BN scale/offset of the input block and the down-sampling blocks (`adaptBn`
 * of the contract). `none`, `adabn` and `bnmix` update no parameter.
 */
export function adaptableParameterNames(arch: Architecture, mode: AdaptMode): string[] {
  const set = MODE_RECIPES[mode].parameters;
  if (set === 'normalizer') {
    return arch.modalities.flatMap((m) => [1, 2, 3].flatMap((i) => [`norm_${m}_conv${i}/kernel`, `norm_${m}_conv${i}/bias`]));
  }
  if (set === 'bn') return arch.adaptBn.flatMap((bn) => [`${bn}/gamma`, `${bn}/beta`]);
  return [];
}

/**
 * The shallow BN layers: the input block and the first down-sampling block. Measured
 * (issue 15): the scanner's intensity/contrast signature lives there, while from down2 on
 * the statistics follow tumour size and anatomy, which made the all-layer KL higher on
 * in-domain scans than on failing foreign ones.
 */
export function shallowLayers(arch: Pick<Architecture, 'bnLayers'>): string[] {
  const layers = arch.bnLayers.filter((l) => l.startsWith('enc0_') || l.startsWith('down1_'));
  if (!layers.length) throw new Error('this model has no enc0_/down1_ BN layers: the shallow layer set is undefined');
  return layers;
}

export function layersOf(arch: Pick<Architecture, 'bnLayers'>, set: LayerSet | undefined): string[] {
  return set === 'shallow' ? shallowLayers(arch) : arch.bnLayers;
}
