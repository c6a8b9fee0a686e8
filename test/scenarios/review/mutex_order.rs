use std::sync::{Arc, Mutex, Condvar, mpsc};
use std::thread;
use std::time::Duration;
fn main() {
    let a = Arc::new(Mutex::new(0u32));
    let b = Arc::new(Mutex::new(0u32));
    let (a1, b1) = (a.clone(), b.clone());
    let t1 = thread::Builder::new().name("lock-ab".into()).spawn(move || {
        let _ga = a1.lock().unwrap(); thread::sleep(Duration::from_millis(200));
        let _gb = b1.lock().unwrap();
    }).unwrap();
    let (a2, b2) = (a.clone(), b.clone());
    let _t2 = thread::Builder::new().name("lock-ba".into()).spawn(move || {
        let _gb = b2.lock().unwrap(); thread::sleep(Duration::from_millis(200));
        let _ga = a2.lock().unwrap();
    }).unwrap();
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let p2 = pair.clone();
    let _t3 = thread::Builder::new().name("cv-waiter".into()).spawn(move || {
        let (m, c) = &*p2; let mut g = m.lock().unwrap();
        while !*g { g = c.wait(g).unwrap(); }
    }).unwrap();
    let (tx, rx) = mpsc::channel::<u32>();
    let _t4 = thread::Builder::new().name("mpsc-consumer".into()).spawn(move || {
        for v in rx { println!("{}", v); }
    }).unwrap();
    std::fs::write(std::env::args().nth(1).unwrap(), format!("{}", std::process::id())).unwrap();
    let _keep = tx;
    t1.join().unwrap();
}
