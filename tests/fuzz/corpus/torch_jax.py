import functools
import torch
import jax
from jax import jit as jjit

@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return x.relu()

model = torch.compile(model, mode="max-autotune")

@functools.partial(jax.jit, static_argnums=(1,))
def g(x, n):
    return x ** n

h = jjit(g)
net.hybridize(static_alloc=True)
