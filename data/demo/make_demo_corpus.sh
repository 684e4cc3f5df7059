#!/usr/bin/env bash
# make_demo_corpus.sh OUTDIR
#
# Builds the hybridminer demo corpus: three small, fully scripted git
# repositories (tf-demo, torch-demo, jax-demo) plus OUTDIR/corpus.txt.
# Every author/committer identity and date is fixed, and git is isolated from
# system/user configuration, so the commit SHAs are identical on every machine.
# See data/demo/README.md for the commit-by-commit description.
set -euo pipefail

die() { echo "make_demo_corpus.sh: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
OUTDIR=$1

# ---------------------------------------------------------------- safety ---
[ -n "$OUTDIR" ] || die "OUTDIR must not be empty"
real_home=""
if [ -n "${HOME:-}" ] && [ -d "$HOME" ]; then real_home=$(cd "$HOME" && pwd -P); fi
check_outdir() {  # $1: physical absolute path of OUTDIR
  case $1 in *[!/]*) ;; *) die "refusing to use '/' as OUTDIR" ;; esac   # "/", "//"
  if [ -n "$real_home" ]; then
    [ "$1" != "$real_home" ] || die "refusing to use the home directory as OUTDIR"
    case $real_home/ in "$1"/*) die "refusing to use '$1' (it contains the home directory)" ;; esac
  fi
}
if [ -e "$OUTDIR" ] || [ -L "$OUTDIR" ]; then
  if [ ! -d "$OUTDIR" ] || [ -L "$OUTDIR" ]; then
    die "'$OUTDIR' exists and is not a directory (or is a symlink)"
  fi
  abs=$(cd "$OUTDIR" && pwd -P)
  check_outdir "$abs"
  rm -rf "$abs"
fi
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd -P)
check_outdir "$OUTDIR"

# ------------------------------------------------------ git isolation ---
umask 022
export LC_ALL=C TZ=UTC
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
      GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_NAMESPACE GIT_TEMPLATE_DIR GIT_DEFAULT_HASH \
      GIT_CEILING_DIRECTORIES GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT \
      GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
      GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE || true
FAKE_HOME=$(mktemp -d "${TMPDIR:-/tmp}/hybridminer-demo-home.XXXXXX")
trap 'rm -rf "$FAKE_HOME"' EXIT
export HOME=$FAKE_HOME XDG_CONFIG_HOME=$FAKE_HOME/.config
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_EDITOR=: GIT_MERGE_AUTOEDIT=no GIT_TERMINAL_PROMPT=0

BRANCH=main   # default branch of the repository being built
g() {
  git -c init.defaultBranch="$BRANCH" -c user.useConfigOnly=false \
      -c commit.gpgsign=false -c core.autocrlf=false -c core.fileMode=true \
      -c core.hooksPath=/dev/null "$@"
}

# who NAME -> sets author and committer identity
who() {
  case $1 in
    alice) GIT_AUTHOR_NAME="Alice Chen";   GIT_AUTHOR_EMAIL="alice@example.com" ;;
    bob)   GIT_AUTHOR_NAME="Bob Okafor";   GIT_AUTHOR_EMAIL="bob@example.org" ;;
    carol) GIT_AUTHOR_NAME="Carol Novak";  GIT_AUTHOR_EMAIL="carol@example.net" ;;
    *) die "unknown author $1" ;;
  esac
  GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
  export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
}
when() { export GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1"; }

# commit MESSAGE DATE AUTHOR : stage everything and commit
commit() {
  who "$3"; when "$2"
  g add -A
  g commit -q --no-verify --allow-empty-message -m "$1"
}
# merge BRANCH MESSAGE DATE AUTHOR : true merge (two parents), then delete BRANCH
merge() {
  who "$4"; when "$3"
  g merge -q --no-ff --no-edit -m "$2" "$1"
  g branch -q -d "$1"
}
# new_repo NAME DEFAULT_BRANCH : create OUTDIR/NAME and cd into it
new_repo() {
  BRANCH=$2
  mkdir -p "$OUTDIR/$1"
  cd "$OUTDIR/$1"
  g init -q --template= .
  g symbolic-ref HEAD "refs/heads/$BRANCH"   # also works with git < 2.28
}
# edit FILE MODE OLD [NEW] : exact whole-line edit; OLD must occur exactly once.
#   MODE replace: OLD -> NEW;  before: insert NEW before OLD;  delete: drop OLD.
edit() {
  OLD=$3 NEW=${4-} MODE=$2 awk '
    BEGIN { old = ENVIRON["OLD"] ""; new = ENVIRON["NEW"] ""; mode = ENVIRON["MODE"] }
    ($0 "") == old {
      n++
      if (mode == "replace") { print new; next }
      if (mode == "delete")  { next }
      if (mode == "before")  { print new; print; next }
    }
    { print }
    END { if (n != 1) exit 3 }' "$1" > "$1.tmp" || die "edit $1: '$3' not found exactly once"
  mv "$1.tmp" "$1"
}

# =============================================================== tf-demo ===
new_repo tf-demo main
mkdir -p utils assets

cat > README.md <<'EOF'
# tf-demo

A small TensorFlow 2 / Keras MNIST classifier.

    python train.py
EOF

cat > model.py <<'EOF'
"""Model definition and training/evaluation steps for the MNIST demo."""
import tensorflow as tf

NUM_CLASSES = 10

loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def build_model(hidden_units=128, dropout=0.2):
    """Builds a small fully connected Keras classifier."""
    return tf.keras.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(hidden_units, activation="relu"),
        tf.keras.layers.Dropout(dropout),
        tf.keras.layers.Dense(NUM_CLASSES),
    ])


def train_step(model, optimizer, images, labels):
    with tf.GradientTape() as tape:
        logits = model(images, training=True)
        loss = loss_fn(labels, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def test_step(model, images, labels):
    logits = model(images, training=False)
    loss = loss_fn(labels, logits)
    correct = tf.equal(tf.argmax(logits, axis=-1), labels)
    return loss, tf.reduce_mean(tf.cast(correct, tf.float32))


class Classifier(tf.Module):
    """Serving wrapper exported with tf.saved_model.save."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def predict(self, images):
        logits = self.model(images, training=False)
        return tf.argmax(logits, axis=-1)
EOF

cat > train.py <<'EOF'
"""Trains the MNIST classifier and exports it as a SavedModel."""
import tensorflow as tf

import model as model_lib
from utils.data import load_dataset

EPOCHS = 5


def evaluate(model, dataset):
    losses, accuracies = [], []
    for images, labels in dataset:
        loss, accuracy = model_lib.test_step(model, images, labels)
        losses.append(loss)
        accuracies.append(accuracy)
    return float(tf.reduce_mean(losses)), float(tf.reduce_mean(accuracies))


def main():
    model = model_lib.build_model()
    optimizer = tf.keras.optimizers.Adam(learning_rate=1e-3)
    train_ds = load_dataset(training=True)
    test_ds = load_dataset(training=False)
    for epoch in range(EPOCHS):
        for images, labels in train_ds:
            loss = model_lib.train_step(model, optimizer, images, labels)
        val_loss, val_acc = evaluate(model, test_ds)
        print(f"epoch {epoch}: loss={float(loss):.4f} "
              f"val_loss={val_loss:.4f} val_acc={val_acc:.4f}")
    tf.saved_model.save(model_lib.Classifier(model), "export/mnist")


if __name__ == "__main__":
    main()
EOF

cat > utils/__init__.py <<'EOF'
"""Data utilities for the MNIST demo."""
EOF

cat > utils/data.py <<'EOF'
"""tf.data input pipeline for the MNIST demo."""
import tensorflow as tf

BATCH_SIZE = 64
SHUFFLE_BUFFER = 10000


def normalize(images, labels):
    images = tf.cast(images, tf.float32) / 255.0
    return images, tf.cast(labels, tf.int64)


def augment(images, labels):
    noise = tf.random.normal(tf.shape(images), stddev=0.05)
    images = tf.clip_by_value(images + noise, 0.0, 1.0)
    return images, labels


def load_dataset(batch_size=BATCH_SIZE, training=True):
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    if training:
        ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
        ds = ds.shuffle(SHUFFLE_BUFFER)
    else:
        ds = tf.data.Dataset.from_tensor_slices((x_test, y_test))
    ds = ds.map(normalize)
    if training:
        ds = ds.map(augment)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
EOF

cat > utils/legacy_io.py <<'EOF'
"""TFRecord helpers kept from the TF1 version of this project."""
import tensorflow as tf


def parse_example(serialized):
    features = {
        "image": tf.io.FixedLenFeature([784], tf.float32),
        "label": tf.io.FixedLenFeature([], tf.int64),
    }
    parsed = tf.io.parse_single_example(serialized, features)
    return tf.reshape(parsed["image"], [28, 28]), parsed["label"]


def read_tfrecords(path):
    return tf.data.TFRecordDataset(path).map(parse_example)
EOF
commit "Initial Keras MNIST training project" "2020-01-15T09:30:00+0000" alice

edit model.py before 'def train_step(model, optimizer, images, labels):' '@tf.function'
commit "Speed up training: compile train_step with tf.function" "2020-04-02T14:05:00+0000" bob

edit model.py before '    def predict(self, images):' \
  '    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 28, 28], dtype=tf.float32)])'
commit "Export Classifier.predict with a fixed input signature" "2020-09-18T11:20:00+0000" alice

printf '\211PNG\r\n\032\n\000\000\000\015IHDR\000\000\000\020\000\000\000\020\010\002\000\000\000' > assets/logo.png
commit "Add project logo" "2021-02-08T16:45:00+0000" carol

edit model.py before 'def test_step(model, images, labels):' '@tf.function(experimental_relax_shapes=True)'
edit utils/data.py before 'def augment(images, labels):' '@tf.function'
commit "Trace test_step with relaxed shapes and compile augment" "2021-06-21T10:00:00+0000" bob

edit utils/data.py delete '@tf.function'
commit "Fix retracing bug: remove tf.function from data loader (#12)" "2021-11-30T08:15:00+0000" alice

g mv utils/data.py utils/dataset.py
edit utils/dataset.py replace 'BATCH_SIZE = 64' 'BATCH_SIZE = 128'
edit train.py replace 'from utils.data import load_dataset' 'from utils.dataset import load_dataset'
commit "Move input pipeline to utils/dataset.py and raise batch size" "2022-03-10T13:40:00+0000" carol

g rm -q utils/legacy_io.py
commit "Remove unused legacy TFRecord helpers" "2022-07-05T17:25:00+0000" bob

g checkout -q -b feature/custom-loop
cat > loops.py <<'EOF'
"""A hand-written training loop with its own train step."""
import tensorflow as tf

import model as model_lib
from utils.dataset import load_dataset

optimizer = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_loss = tf.keras.metrics.Mean(name="train_loss")


def train_step(model, images, labels):
    with tf.GradientTape() as tape:
        logits = model(images, training=True)
        loss = loss_fn(labels, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    train_loss.update_state(loss)


def run(epochs=2):
    model = model_lib.build_model()
    dataset = load_dataset()
    for epoch in range(epochs):
        train_loss.reset_state()
        for images, labels in dataset:
            train_step(model, images, labels)
        print(f"epoch {epoch}: loss={float(train_loss.result()):.4f}")


if __name__ == "__main__":
    run()
EOF
commit "Add custom training loop script" "2022-09-12T09:00:00+0000" carol

g checkout -q main
edit model.py replace '@tf.function' '@tf.function(jit_compile=True)'
commit "Enable XLA for train_step (jit_compile=True)" "2022-10-03T15:30:00+0000" alice

g checkout -q feature/custom-loop
edit loops.py before 'def run(epochs=2):' $'train_step = tf.function(train_step)\n\n'
commit "Wrap custom train_step with tf.function" "2022-11-14T12:10:00+0000" carol

g checkout -q main
merge feature/custom-loop "Merge branch 'feature/custom-loop'" "2023-01-09T10:45:00+0000" alice

edit model.py replace '@tf.function(experimental_relax_shapes=True)' '@tf.function(reduce_retracing=True)'
commit "Replace deprecated experimental_relax_shapes with reduce_retracing" "2023-05-22T14:00:00+0000" bob

printf '\211PNG\r\n\032\n\000\000\000\015IHDR\000\000\000\040\000\000\000\040\010\006\000\000\000\163\172\172\364' > assets/logo.png
commit "Update logo to 32x32 RGBA" "2023-08-30T11:11:00+0000" carol

g mv loops.py custom_loop.py
commit "Rename loops.py to custom_loop.py" "2024-02-14T09:45:00+0000" alice

# ============================================================ torch-demo ===
new_repo torch-demo master

cat > README.md <<'EOF'
# torch-demo

A small PyTorch image classifier.

    python train.py
EOF

cat > net.py <<'EOF'
"""A small convolutional network for 32x32 RGB images."""
import torch
import torch.nn as nn


def fused_gelu(x: torch.Tensor) -> torch.Tensor:
    return x * 0.5 * (1.0 + torch.erf(x / 1.41421356))


class Net(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 8 * 8, num_classes)

    def forward(self, x):
        x = self.pool(fused_gelu(self.conv1(x)))
        x = self.pool(fused_gelu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))
EOF

cat > train.py <<'EOF'
"""Training entry point for the torch demo."""
import torch
import torch.nn as nn

from net import Net


def make_batches(num_batches=10, batch_size=32):
    for _ in range(num_batches):
        yield torch.randn(batch_size, 3, 32, 32), torch.randint(0, 10, (batch_size,))


def train(epochs=2, lr=0.01):
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    model.train()
    for epoch in range(epochs):
        for inputs, targets in make_batches():
            optimizer.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss={loss.item():.4f}")
    return model


if __name__ == "__main__":
    torch.save(train().state_dict(), "net.pt")
EOF
commit "Initial PyTorch CNN and training loop" "2020-05-11T08:00:00+0000" bob

edit net.py before 'def fused_gelu(x: torch.Tensor) -> torch.Tensor:' '@torch.jit.script'
commit "Script the fused_gelu helper with torch.jit.script" "2020-12-01T19:30:00+0000" carol

cat > export.py <<'EOF'
"""Exports a TorchScript version of the network by tracing."""
import torch

from net import Net


def export(path="net_traced.pt"):
    model = Net()
    model.eval()
    example = torch.randn(1, 3, 32, 32)
    traced = torch.jit.trace(model, example)
    traced.save(path)
    return traced


if __name__ == "__main__":
    export()
EOF
commit "Add export script using torch.jit.trace" "2021-08-17T13:15:00+0000" bob

cat > explore.ipynb <<'EOF'
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "5f0c2d1e",
   "metadata": {},
   "outputs": [],
   "source": [
    "import torch\n",
    "from net import Net\n",
    "\n",
    "model = Net().eval()\n",
    "scripted = torch.jit.script(model)\n",
    "print(scripted.code)"
   ]
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Python 3",
   "language": "python",
   "name": "python3"
  },
  "language_info": {
   "name": "python"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
EOF
commit "Add exploration notebook" "2022-02-23T10:30:00+0000" alice

edit train.py before '    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)' \
  '    model = torch.compile(model, mode="reduce-overhead")'
commit "Use torch.compile for training" "2023-03-20T16:00:00+0000" carol

edit train.py replace '    model = torch.compile(model, mode="reduce-overhead")' \
  '    model = torch.compile(model, mode="max-autotune")'
commit "Tune torch.compile: switch to max-autotune mode" "2023-09-04T09:20:00+0000" bob

edit train.py delete '    model = torch.compile(model, mode="max-autotune")'
commit "Fix crash with dynamic shapes: drop torch.compile" "2024-04-11T14:50:00+0000" carol

# ============================================================== jax-demo ===
new_repo jax-demo trunk

cat > README.md <<'EOF'
# jax-demo

Linear regression in JAX.
EOF

cat > model.py <<'EOF'
"""Linear regression with plain JAX."""
import jax
import jax.numpy as jnp


def init_params(key, num_features):
    w_key, b_key = jax.random.split(key)
    return {
        "w": jax.random.normal(w_key, (num_features,)),
        "b": jax.random.normal(b_key, ()),
    }


def predict(params, x):
    return x @ params["w"] + params["b"]


def loss(params, x, y):
    return jnp.mean((predict(params, x) - y) ** 2)


def update(params, x, y, lr=0.1):
    grads = jax.grad(loss)(params, x, y)
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)
EOF
commit "Initial JAX linear regression" "2020-08-19T12:00:00+0000" alice

mkdir -p legacy
cat > legacy/convert.py <<'EOF'
# Legacy Python 2 conversion script, kept for reference (not ported yet).
import sys


def main(argv):
    print "hello"
    for name in argv[1:]:
        print "converting %s" % name


if __name__ == "__main__":
    main(sys.argv)
EOF
commit "Add legacy Python 2 conversion script" "2021-04-06T07:45:00+0000" bob

edit model.py before 'def update(params, x, y, lr=0.1):' '@jax.jit'
commit "JIT-compile the update step with jax.jit" "2022-06-27T18:05:00+0000" alice

edit model.py before 'import jax' 'import functools'
cat >> model.py <<'EOF'


@functools.partial(jax.jit, static_argnums=(1,))
def polynomial_features(x, degree):
    return jnp.stack([x ** d for d in range(1, degree + 1)], axis=-1)
EOF
commit "Add polynomial features with a static degree" "2024-01-08T10:10:00+0000" carol

# ================================================================ corpus ===
{
  echo "# hybridminer demo corpus (generated by data/demo/make_demo_corpus.sh)"
  for r in tf-demo torch-demo jax-demo; do echo "$OUTDIR/$r"; done
} > "$OUTDIR/corpus.txt"

echo "demo corpus: 3 repositories in $OUTDIR"
