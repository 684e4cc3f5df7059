import tensorflow as tf
print "hello"
exec "x = 1"
try:
    pass
except Exception, e:
    print `e`
@tf.function
def f(x):
    return x <> 1
