#!/usr/bin/env python3
"""Runs PyG's side of the explain-bashapes task exactly as ../shared/bench/pyg/bench_tasks.py
does (its own function, untouched), and records what gnn4j needs to replay it: the trained
GCN's weights (under gnn4j's parameter names), and for every explained node the initial logits
GNNExplainer drew and the edge mask it returned. Recording clones tensors and draws nothing, so
the run and its JSON line are the benchmark's own. Writes OUT.safetensors and prints the line.

  PYTHONPATH=$HOME/.cache/gnn4j-anchor/pyg-2.6.1 /usr/bin/python3 pyg_bashapes_dump.py \
      --seed 0 --out /tmp/pyg-bashapes-seed0 [--split-dir DIR]

For seeds other than 0 on the reference graph, pass a --split-dir holding the seed-0 files
copied under the seed's name (as docs/explain.md describes).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

BENCH_PY = '/work/shared/bench/pyg'
sys.path.insert(0, BENCH_PY)
import bench_tasks  # noqa: E402


def write_safetensors(path, tensors, meta):
    header, blobs, off = {'__metadata__': meta}, [], 0
    for name in sorted(tensors):
        arr = np.ascontiguousarray(tensors[name])
        dtype = 'I64' if arr.dtype == np.int64 else 'F32'
        arr = arr.astype(np.int64 if dtype == 'I64' else np.float32)
        blob = arr.tobytes()
        header[name] = {'dtype': dtype, 'shape': list(arr.shape),
                        'data_offsets': [off, off + len(blob)]}
        blobs.append(blob)
        off += len(blob)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', required=True)
    ap.add_argument('--split-dir', default=bench_tasks.SPLITS)
    ap.add_argument('--epochs', type=int, default=2000)
    ap.add_argument('--explainer-epochs', type=int, default=200)
    a = ap.parse_args()
    import torch
    torch.set_num_threads(2)
    from torch_geometric.explain import Explainer, GNNExplainer

    captured = {'model': None, 'init_edge': [], 'init_node': [], 'edge_mask': []}
    init_masks = GNNExplainer._initialize_masks

    def record_init(self, x, edge_index):
        init_masks(self, x, edge_index)
        captured['init_edge'].append(self.edge_mask.detach().clone().numpy())
        captured['init_node'].append(self.node_mask.detach().clone().numpy())
    GNNExplainer._initialize_masks = record_init

    explainer_init = Explainer.__init__

    def record_model(self, model, *args, **kw):
        # the model is trained by now: Explainer is built after the training loop
        captured['model'] = {k: v.detach().clone().numpy()
                             for k, v in model.state_dict().items()}
        explainer_init(self, model, *args, **kw)
    Explainer.__init__ = record_model

    explainer_call = Explainer.__call__

    def record_call(self, *args, **kw):
        expl = explainer_call(self, *args, **kw)
        if kw.get('index') is not None:   # fidelity calls the model, not this
            captured['edge_mask'].append(expl.edge_mask.detach().clone().numpy())
        return expl
    Explainer.__call__ = record_call

    args = argparse.Namespace(seed=a.seed, split_dir=a.split_dir, explain_nodes='60',
                              regen_splits=False, splits_only=False, epochs=a.epochs,
                              explainer_epochs=a.explainer_epochs, threads=2)
    rec = {'task': 'explain-bashapes', 'seed': a.seed}
    bench_tasks.task_explain_bashapes(args, rec)
    t = {'param.layers.' + k.removeprefix('gcn.convs.'): v
         for k, v in captured['model'].items()}
    for k, (ie, inn, em) in enumerate(zip(captured['init_edge'], captured['init_node'],
                                          captured['edge_mask'])):
        t[f'init.edge_mask.{k}'] = ie
        t[f'init.node_mask.{k}'] = inn
        t[f'edge_mask.{k}'] = em
    meta = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in rec.items()}
    write_safetensors(a.out + '.safetensors', t, meta)
    print(json.dumps(rec), flush=True)


if __name__ == '__main__':
    main()
