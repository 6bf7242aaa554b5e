"""Times the reference LightGCN code's training epoch (gusye1234/LightGCN-PyTorch, Procedure.BPR_train_original)
with its defaults: d = 64, 3 layers, batch 2048, Adam 1e-3, decay 1e-4, one sampled triple per training interaction.

    cd LightGCN-PyTorch/code && THREADS=2 EPOCHS=2 PYTHONPATH=STUB /usr/bin/python3 PATH/TO/reference_lightgcn_epochs.py

STUB holds a tensorboardX/__init__.py with an empty SummaryWriter class (the code imports it; the run
sets --tensorboard 0). Needs Debian's python3-torch, python3-pandas, python3-scipy, python3-sklearn, python3-tqdm.
"""
import os
import sys
import time

sys.argv = ["main.py", "--dataset", "gowalla", "--tensorboard", "0", "--model", "lgn", "--layer", "3",
            "--recdim", "64", "--bpr_batch", "2048", "--lr", "0.001", "--decay", "1e-4"]
sys.path.insert(0, os.getcwd())
import torch  # noqa: E402

torch.set_num_threads(int(os.environ.get("THREADS", "2")))
import Procedure  # noqa: E402
import register  # noqa: E402
import utils  # noqa: E402
import world  # noqa: E402
from register import dataset  # noqa: E402

utils.set_seed(world.seed)
model = register.MODELS[world.model_name](world.config, dataset).to(world.device)
loss = utils.BPRLoss(model, world.config)
for epoch in range(int(os.environ.get("EPOCHS", "2"))):
    start = time.time()
    info = Procedure.BPR_train_original(dataset, model, loss, epoch, neg_k=1, w=None)
    print(f"epoch {epoch + 1}: {time.time() - start:.2f} s  {info}  torch threads {torch.get_num_threads()}", flush=True)
