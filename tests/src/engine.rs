//! The store engine a test runs on, and [`on_every_engine!`](crate::on_every_engine), which runs
//! one suite once per engine.

/// The store engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sled,
    #[cfg(feature = "etcd")]
    Etcd,
}

tokio::task_local! {
    static ENGINE: Engine;
}

impl Engine {
    /// The engine of the running test: set by [`on_every_engine!`](crate::on_every_engine), sled
    /// otherwise.
    pub fn current() -> Self {
        ENGINE.try_with(|e| *e).unwrap_or(Engine::Sled)
    }

    /// Runs `test` with this engine as [`Engine::current`].
    pub async fn run(self, test: impl std::future::Future<Output = ()>) {
        ENGINE.scope(self, test).await
    }
}

/// Declares, for each named `async fn()` of the enclosing test file, one test per store engine:
/// `sled::name`, and `etcd::name` with the `etcd` feature. One suite, every engine.
#[macro_export]
macro_rules! on_every_engine {
    ($($name:ident),* $(,)?) => {
        mod sled {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    $crate::engine::Engine::Sled.run(super::$name()).await
                }
            )*
        }
        #[cfg(feature = "etcd")]
        mod etcd {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    $crate::engine::Engine::Etcd.run(super::$name()).await
                }
            )*
        }
    };
}
