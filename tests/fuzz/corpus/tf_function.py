import tensorflow as tf
from tensorflow import function as tfn

class Model(tf.keras.Model):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)], reduce_retracing=True)
    def call(self, x, *args, training=False, **kwargs):
        return x * 2

step = tfn(lambda x: x + 1, jit_compile=True)
self_step = tf.function(Model().call)
