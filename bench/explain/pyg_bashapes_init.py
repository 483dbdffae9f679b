#!/usr/bin/env python3
"""Writes the initial weights PyG's side of explain-bashapes starts training from for each
seed (seed_all(seed), then the task's GCN(10, 20, num_layers=3, out_channels=4), exactly as
bench_tasks.py builds it), under gnn4j's parameter names, one OUT-seedS.safetensors each. With
them gnn4j can train from PyG's starting point and compare the trained weights.

  PYTHONPATH=$HOME/.cache/gnn4j-anchor/pyg-2.6.1 /usr/bin/python3 pyg_bashapes_init.py \
      --seeds 0,1,2 --out /tmp/pyg-bashapes-init
"""
import argparse
import sys

sys.path.insert(0, '/work/shared/bench/pyg')
import bench_tasks  # noqa: E402
from pyg_bashapes_dump import write_safetensors  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    import torch
    from torch_geometric.nn import GCN
    for s in [int(v) for v in a.seeds.split(',')]:
        bench_tasks.seed_all(s)
        gcn = GCN(10, hidden_channels=20, num_layers=3, out_channels=4)
        t = {'param.layers.' + k.removeprefix('convs.'): v.detach().clone().numpy()
             for k, v in gcn.state_dict().items()}
        write_safetensors(f'{a.out}-seed{s}.safetensors', t, {'seed': str(s)})
        print(s, sorted(t))


if __name__ == '__main__':
    main()
