"""Writes one interaction set in two layouts for a side-by-side speed run (bench perf's MovieLens-1M shape).

    /usr/bin/python3 docs/speed/same_shape_data.py OUT REFERENCE_CODE_FOLDER

OUT/untangle/untangle.inter: a RecBole file of every interaction (Untangle splits it, 80 % training with
protocol.scheme=ratio). REFERENCE/../data/gowalla/{train,test}.txt: the LightGCN-PyTorch layout ("user item
item ..."), 80 % of each user's items for training; the reference code only reads data sets it knows by
name, so the files take the place of its gowalla folder. 6,039 users, 3,628 items, 123 items per user drawn
with Zipf-like popularity (weight 1/rank^0.8): about 592,000 and 598,000 training interactions.
"""
import bisect
import itertools
import os
import random
import sys

USERS, ITEMS, PER_USER = 6039, 3628, 123

out, reference = sys.argv[1], sys.argv[2]
random_ = random.Random(5)
cumulative = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(ITEMS)))
os.makedirs(os.path.join(out, "untangle"), exist_ok=True)
data = os.path.join(reference, "..", "data", "gowalla")
os.makedirs(data, exist_ok=True)
train, test = [], []
with open(os.path.join(out, "untangle", "untangle.inter"), "w") as inter:
    inter.write("user_id:token\titem_id:token\trating:float\ttimestamp:float\n")
    for user in range(USERS):
        chosen = set()
        while len(chosen) < PER_USER:
            chosen.add(min(bisect.bisect(cumulative, random_.random() * cumulative[-1]), ITEMS - 1))
        chosen = list(chosen)
        random_.shuffle(chosen)
        for item in chosen:
            inter.write(f"{user}\t{item}\t1\t{user}\n")
        cut = int(round(len(chosen) * 0.8))
        train.append(f"{user} " + " ".join(map(str, chosen[:cut])))
        test.append(f"{user} " + " ".join(map(str, chosen[cut:])))
for name, lines in (("train.txt", train), ("test.txt", test)):
    with open(os.path.join(data, name), "w") as f:
        f.write("\n".join(lines) + "\n")
print(sum(len(line.split()) - 1 for line in train), "reference training interactions")
