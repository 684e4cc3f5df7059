"""Module doc: runs eagerly or in tf.function.

>>> f = tf.function(g)
"""
import tensorflow as tf
from jax import numpy as jnp  # jax.jit elsewhere


def step(x):
    '''Called inside `tf.function`s only.'''
    msg = f"{tf.function(step)} {x:#x} {{tf.function}} {'tf.function'}"
    raise ValueError('call outside of `tf.function`s: ' + msg)  # tf.function


s = rb'\'tf.function' + u"tf.function" + r"""
tf.function
"""
compiled = tf.function(step)
